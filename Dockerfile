# Build: compile TypeScript with the dev dependencies, then keep only what runs.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts
# --ignore-scripts skipped the postinstall that links PostgreSQL's ICU libraries
# (libicui18n.so.60 …); make them here, as root: the runtime user cannot write node_modules.
RUN node dist/cli/postgres-links.js

# Run: the compiled service as the unprivileged `node` user. The embedded
# PostgreSQL keeps its data in /data (a volume); in production set DATABASE_URL
# to a PostgreSQL server instead. Create an API client in a running container with
#   docker exec <container> node dist/cli/clients.js create --role regulator --territory venissieux
# scripts/container-equivalent.ts replays these steps without a container engine.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
# Where browsers reach the web app (set yours: https://cpts.example); 0.0.0.0 is no address for a browser.
ENV PUBLIC_BASE_URL=http://localhost:3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY sql ./sql
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/main.js"]
