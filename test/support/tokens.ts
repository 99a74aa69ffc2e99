import { createHmac, createSecretKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";

export const SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";
export const SECRET_KEY: KeyObject = createSecretKey(Buffer.from(SECRET));
export const RSA = generateKeyPairSync("rsa", { modulusLength: 2048 });
export const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
export const nowSeconds = Math.floor(NOW / 1000);

export function hs256(payload: Record<string, unknown>, key: KeyObject | string = SECRET_KEY): string {
  return jwt.sign(payload, key, { algorithm: "HS256" });
}

export function rs256(payload: Record<string, unknown>): string {
  return jwt.sign(payload, RSA.privateKey, { algorithm: "RS256" });
}

/** An unsigned token (`alg: none`), as attackers send them. */
export function algNone(payload: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${enc({ alg: "none", typ: "JWT" })}.${enc(payload)}.`;
}

/** HS256 signed with the RSA public key's PEM as the secret: the classic algorithm-confusion token. */
export function confusedHs256(payload: Record<string, unknown>): string {
  const pem = RSA.publicKey.export({ type: "spki", format: "pem" }) as string;
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = `${enc({ alg: "HS256", typ: "JWT" })}.${enc(payload)}`;
  return `${head}.${createHmac("sha256", pem).update(head).digest("base64url")}`;
}
