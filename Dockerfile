# syntax=docker/dockerfile:1
# Build stage: cgo is needed for SQLite (mattn/go-sqlite3), and the
# sqlite_fts5 tag compiles in full-text search.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -tags sqlite_fts5 -trimpath -ldflags="-s -w" -o /out/quire ./cmd/quire

# Runtime stage: a small Debian with glibc for the cgo binary, run as a
# non-root user, data on a volume.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin quire \
 && mkdir -p /data && chown quire:quire /data
COPY --from=build /out/quire /usr/local/bin/quire
USER quire
WORKDIR /data
VOLUME ["/data"]
ENV QUIRE_ADDR=:8080 \
    QUIRE_DATABASE=/data/quire.db
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/quire", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/quire"]
CMD ["serve"]
