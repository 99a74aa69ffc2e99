import { leftoverServers } from "./leftovers.js";

/** After the whole suite: not one nginx or Apache started by a lab may still be running. */
export function teardown(): void {
  const left = leftoverServers();
  if (left.length > 0) throw new Error(`lab processes left running after the tests:\n${left.join("\n")}`);
}
