# syntax=docker/dockerfile:1
# lifestage: one static binary on a distroless base, running as non-root,
# with its data (SQLite, uploads, backups) in the /pb_data volume.

FROM golang:1.27.3-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=auto
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags="-s -w" -o /out/lifestage . \
 && mkdir -p /out/pb_data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lifestage /usr/local/bin/lifestage
# The volume starts out owned by the non-root user so the app can write it.
COPY --from=build --chown=65532:65532 /out/pb_data /pb_data
USER 65532:65532
VOLUME ["/pb_data"]
EXPOSE 8090
ENTRYPOINT ["/usr/local/bin/lifestage", "--dir=/pb_data"]
CMD ["serve", "--http=0.0.0.0:8090"]
