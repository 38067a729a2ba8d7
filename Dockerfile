# Parley: one image for the api, which also serves the built web app.
# npm is pinned to the major in package.json's "packageManager": the lockfile is written by it,
# and `npm ci` refuses a lockfile another major would resolve differently.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm install -g npm@10.9.9 --no-audit --no-fund
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Production dependencies alone, installed from the lockfile (what scripts/check-prod-start.mjs
# does in CI, so a module the api imports but package.json does not declare fails there first).
FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
RUN npm install -g npm@10.9.9 --no-audit --no-fund
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=prod-deps /app/package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# /data holds the embedded database (no DATABASE_URL) and, with FILE_STORAGE=local (the default),
# the uploaded files under /data/files; mount a named volume there, e.g. `docker run -v
# parley-data:/data` (with PostgreSQL, at least /data/files, shared by every instance). No VOLUME
# line, so PostgreSQL mode creates no stray volumes. The folders exist here, owned by node, so a
# named volume mounted on them starts out writable. sharp needs nothing from apt: its prebuilt
# linux-x64 libvips comes with it from the lockfile (@img/sharp-linux-x64, @img/sharp-libvips-linux-x64).
RUN mkdir -p /data/files /data/tmp && chown -R node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/api/apps/api/src/main.js"]
