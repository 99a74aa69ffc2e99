// The compose test's own test, on small fixtures (test/fixtures/compose): a broken Dockerfile, a
// wrong template variable and a failing healthcheck must each fail, with the service's own log
// line in the message. Returns what did not hold (empty when the failure reporting works).
import { composeBuilds, buildImage } from "./images.mjs";
import { down, up } from "./profile.mjs";

const fixtures = new URL("../../test/fixtures/compose/", import.meta.url).pathname;

export const CASES = [
  { name: "broken Dockerfile", file: "broken-dockerfile.yaml", says: "selftest: this build step is broken on purpose" },
  { name: "wrong template variable", file: "wrong-variable.yaml", says: "placeholder ${AUTHPROBE_NO_SUCH_VAR} has no value" },
  { name: "failing healthcheck", file: "failing-health.yaml", says: "selftest: failing-health started" },
];

/** The error bringing up one fixture raised (builds first, as the compose test does), or null. */
export async function failureOf(file, project = "authprobe-selftest") {
  const composeFile = `${fixtures}${file}`;
  try {
    for (const [image, build] of composeBuilds(composeFile)) buildImage(composeFile, image, build);
    // The fixtures have no profiles: "default" activates nothing extra.
    await up(composeFile, project, "default", 30_000);
    return null;
  } catch (e) {
    return e;
  } finally {
    down(composeFile, project, "default");
  }
}

export async function runSelftest(log = () => {}) {
  const problems = [];
  for (const c of CASES) {
    const e = await failureOf(c.file);
    if (!e) problems.push(`self-test ${c.name}: brought up without an error`);
    else if (!e.message.includes(c.says)) problems.push(`self-test ${c.name}: the error lacks "${c.says}":\n${e.message}`);
    else log(`self-test ${c.name}: fails as it should, with the service's line "${c.says}"`);
  }
  return problems;
}
