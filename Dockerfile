# The service image: Node 24 LTS, compiled TypeScript, one executable with sub-commands.
FROM node:24-bookworm-slim AS base
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production
ENTRYPOINT ["node", "bin/prospect-feeder.js"]
CMD ["start"]

# The test image adds Debian's Chromium for the dashboard's browser test.
FROM base AS test
ENV NODE_ENV=test
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium postgresql-client \
 && rm -rf /var/lib/apt/lists/*
ENTRYPOINT []
CMD ["npm", "test"]
