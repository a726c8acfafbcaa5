# The engine image, in three stages: compile the TypeScript with every dependency, install the
# production dependencies alone, and copy only those and the compiled code into the runtime.
#   docker build -t calltrail .
FROM node:20-bookworm-slim AS build
WORKDIR /app
# npm ci runs the console's prepare step; it skips (and says so) until console/ is copied below.
COPY package.json package-lock.json ./
COPY scripts/build-console.mjs ./scripts/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
COPY console ./console
RUN npm run build:console

FROM node:20-bookworm-slim AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/build-console.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
# ffmpeg/ffprobe decode uploaded audio (FFMPEG_PATH, FFPROBE_PATH).
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /data && chown node:node /data
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist
COPY package.json ./
COPY bin ./bin
USER node
EXPOSE 3000
# SIGTERM reaches node directly (no npm or shell in between), so the engine stops cleanly.
CMD ["node", "dist/main.js"]
