# syntax=docker/dockerfile:1
# Two images from one file, on Node 24 LTS:
#   docker build --target api .       the todo API with the built console (the TodoApp's spec.image)
#   docker build --target operator .  the TodoApp operator (charts/todo-operator)
# Every npm and tsc step runs on the build machine's platform: the output is plain JavaScript and no
# production dependency has a native or per-platform part, so a linux/amd64,linux/arm64 build emulates no
# RUN step; the last stages only copy files onto the target platform's Node runtime.
# Both run as UID/GID 65532 and write nothing at run time, so a read-only root filesystem needs no volume
# (the API writes only with an embedded database, i.e. without DATABASE_URL, which a cluster always sets).
ARG NODE_MAJOR=24

# The workspace manifests alone, so the dependency layers below are rebuilt only when they change.
FROM --platform=$BUILDPLATFORM node:${NODE_MAJOR}-trixie-slim AS manifests
WORKDIR /src
COPY package.json package-lock.json ./
COPY infra/package.json infra/
COPY recurrence/package.json recurrence/
COPY contract/package.json contract/
COPY api/package.json api/
COPY operator/package.json operator/
COPY console/package.json console/
COPY e2e/package.json e2e/
COPY manifests/package.json manifests/

FROM manifests AS build-deps
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY recurrence recurrence
COPY contract contract

FROM build-deps AS api-build
COPY api api
COPY console console
RUN npx tsc -b api && npm run build -w console

FROM build-deps AS operator-build
COPY operator operator
RUN npx tsc -b operator

# Production dependencies of one workspace; install scripts are not needed by any of them.
FROM manifests AS api-modules
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w api

FROM manifests AS operator-modules
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w operator

# Distroless: Node and CA certificates, no shell or package manager. Its entrypoint is /nodejs/bin/node;
# PATH lets `kubectl exec … -- node api/dist/events/dead-letters.cli.js` work as docs/events.md shows.
FROM gcr.io/distroless/nodejs${NODE_MAJOR}-debian13:nonroot AS runtime
ENV NODE_ENV=production PATH=/nodejs/bin:/usr/local/bin:/usr/bin:/bin
WORKDIR /app
USER 65532:65532
ENTRYPOINT ["/nodejs/bin/node"]

FROM runtime AS operator
COPY --from=operator-modules /src/ ./
COPY --from=operator-build /src/recurrence/dist recurrence/dist
COPY --from=operator-build /src/contract/dist contract/dist
COPY --from=operator-build /src/operator/dist operator/dist
EXPOSE 8081
CMD ["operator/dist/main.js"]

# Last, so a plain `docker build .` gives the API image, as it always has.
FROM runtime AS api
ENV PORT=8080 CONSOLE_DIR=/app/console/dist
COPY --from=api-modules /src/ ./
COPY --from=api-build /src/recurrence/dist recurrence/dist
COPY --from=api-build /src/contract/dist contract/dist
COPY --from=api-build /src/api/dist api/dist
COPY --from=api-build /src/console/dist console/dist
EXPOSE 8080
# A small young generation keeps the peak RSS under 200 MB at full load (see docs/benchmarks.md).
CMD ["--max-semi-space-size=4", "api/dist/main.js"]
