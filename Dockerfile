# s3scribe: a local S3 server that writes Amazon S3 server access logs.
# BASE_IMAGE defaults to a maintained Node LTS slim image; where no registry is reachable,
# pass a local one (--build-arg BASE_IMAGE=localhost/node:20-slim).
ARG BASE_IMAGE=node:22-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY server ./server
COPY storage ./storage
COPY logging ./logging
COPY errors ./errors
COPY common ./common
COPY testcontainers ./testcontainers
COPY console ./console
COPY scripts/build-bundle.mjs scripts/bundle-launcher.cjs ./scripts/
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM ${BASE_IMAGE}
ENV NODE_ENV=production \
    S3SCRIBE_HOST=0.0.0.0 \
    S3SCRIBE_PORT=4569 \
    S3SCRIBE_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
# 4570 (HTTPS, with S3SCRIBE_HTTPS_PORT=4570) is not declared: an EXPOSEd port nobody publishes makes
# testcontainers wait for a binding that never comes (podman lists it unbound).
EXPOSE 4569
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4569/_s3scribe/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: pending access logs are delivered on `docker stop`.
CMD ["node", "dist/bin/s3scribe.cjs"]
