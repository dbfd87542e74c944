# idv-outcomes: `docker build -t idv .`, then `docker run -p 4242:4242 -e STRIPE_WEBHOOK_SECRET=whsec_… idv`
# (SQLite under /data; mount a volume there) or with IDV_DATABASE_URL=postgres://… (compose.yaml).

# Build stage: compilers for better-sqlite3 when no prebuilt binary fits, dev dependencies for the build.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY . .
# `npm ci` runs `prepare`, which builds dist/ and the console; then only the runtime dependencies stay.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

# Run stage: no compilers, no sources, not root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4242 \
    IDV_DATABASE_URL=sqlite:/data/idv.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/templates ./templates
COPY --from=build /app/packages ./packages
COPY --from=build /app/node_modules ./node_modules
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 4242
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4242) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/idv.js"]
CMD ["serve"]
