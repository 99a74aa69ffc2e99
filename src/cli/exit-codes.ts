/** The CLI's exit codes (DESIGN.md): stable, documented in docs/doctor.md. */
export const EXIT = { ok: 0, findings: 1, usage: 2, failure: 3 } as const;
