# The todo API image the operator deploys: API + built console, no dev dependencies, non-root,
# read-only root filesystem friendly (it writes nothing when DATABASE_URL is set).
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY infra/package.json infra/
COPY recurrence/package.json recurrence/
COPY contract/package.json contract/
COPY api/package.json api/
COPY operator/package.json operator/
COPY console/package.json console/
RUN npm ci --no-audit --no-fund
COPY recurrence recurrence
COPY contract contract
COPY api api
COPY console console
RUN npx tsc -b api && npm run build -w console

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=8080 CONSOLE_DIR=/app/console/dist
WORKDIR /app
COPY package.json package-lock.json ./
COPY infra/package.json infra/
COPY recurrence/package.json recurrence/
COPY contract/package.json contract/
COPY api/package.json api/
COPY operator/package.json operator/
COPY console/package.json console/
RUN npm ci --omit=dev --no-audit --no-fund -w api && npm cache clean --force
COPY --from=build /src/recurrence/dist recurrence/dist
COPY --from=build /src/contract/dist contract/dist
COPY --from=build /src/api/dist api/dist
COPY --from=build /src/console/dist console/dist
USER 65532:65532
EXPOSE 8080
# A small young generation keeps the peak RSS under 200 MB at full load (see docs/benchmarks.md).
CMD ["node", "--max-semi-space-size=4", "api/dist/main.js"]
