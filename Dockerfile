# The terreze worker image: Node 20, Debian's Chromium and fonts for the PDF editions.
FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends chromium fonts-dejavu poppler-utils \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENV TERREZE_CHROMIUM=/usr/bin/chromium
RUN mkdir -p /var/lib/terreze && chown node:node /var/lib/terreze
USER node
CMD ["node", "bin/terreze.js", "worker"]
