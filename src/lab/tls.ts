import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { findBinary } from "./binaries.js";

export interface LabCertificates {
  /** The throwaway CA a client must trust (the doctor's --cacert). */
  ca: string;
  cert: string;
  key: string;
}

/**
 * A CA made for this run only, and a certificate for 127.0.0.1 and localhost signed by it. Nothing
 * is trusted system-wide: clients are handed the CA file.
 */
export function makeLabCertificates(dir: string): LabCertificates {
  const openssl = findBinary("openssl");
  if (!openssl.path) throw new Error(`openssl is not installed: ${openssl.install}`);
  const run = (args: string[]) => execFileSync(openssl.path as string, args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  run(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=authprobe lab CA"]);
  run(["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
  writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n");
  run([
    "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
  ]);
  return { ca: join(dir, "ca.pem"), cert: join(dir, "server.pem"), key: join(dir, "server.key") };
}
