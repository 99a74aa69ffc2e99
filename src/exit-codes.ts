/** The exit codes of every command (documented in docs/doctor.md): stable, one table for all. */
export const EXIT = { ok: 0, findings: 1, usage: 2, failure: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
