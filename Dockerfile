# syntax=docker/dockerfile:1
#
# One image per worker, from this one file:
#   docker build --build-arg WORKER=Moderation -t quikapp/workers-moderation .
#   docker build --build-arg WORKER=Files      -t quikapp/workers-files .
#   docker build --build-arg WORKER=Analytics  -t quikapp/workers-analytics .
#
# Base images: .NET 10 ships its container images on Ubuntu 24.04 "noble" (there are no Debian images for .NET 10).
# What the native parts need is glibc, libstdc++ and libgcc_s, all in the aspnet image: NetVips.Native bundles its own
# libvips, and ONNX Runtime, ML.NET's native helpers and librdkafka link nothing else (readelf -d on their linux-x64
# binaries; librdkafka.so wants the RPM soname libsasl2.so.3, so Confluent.Kafka loads its centos8 build, which needs
# only glibc). No apt packages are added. See docs/operations.md, "Images".
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-noble
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble

FROM ${SDK_IMAGE} AS build
ARG WORKER
RUN case "$WORKER" in Moderation|Files|Analytics) ;; \
      *) echo "build with --build-arg WORKER=Moderation|Files|Analytics (got '$WORKER')" >&2; exit 1 ;; esac
WORKDIR /src

# Restore layer: only what restore reads, so it is rebuilt only when a project file or a package version changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Shared/Shared.csproj src/Shared/
COPY src/Workers.Moderation/Workers.Moderation.csproj src/Workers.Moderation/
COPY src/Workers.Files/Workers.Files.csproj src/Workers.Files/
COPY src/Workers.Analytics/Workers.Analytics.csproj src/Workers.Analytics/
RUN dotnet restore "src/Workers.${WORKER}/Workers.${WORKER}.csproj" -r linux-x64

COPY src/ src/
# The apphost is copied under one name for every worker, so ENTRYPOINT and HEALTHCHECK need no build argument.
RUN dotnet publish "src/Workers.${WORKER}/Workers.${WORKER}.csproj" -c Release -r linux-x64 --self-contained false \
      --no-restore -p:UseAppHost=true -o /app \
 && cp "/app/QuikApp.Workers.${WORKER}" /app/quikapp-worker

FROM ${RUNTIME_IMAGE} AS runtime
ARG WORKER
LABEL org.opencontainers.image.title="quikapp-workers-${WORKER}" \
      org.opencontainers.image.description="QuikApp ${WORKER} worker (Kafka -> MongoDB)" \
      org.opencontainers.image.source="https://github.com/quikapp/quikapp-workers"

WORKDIR /app
# Owned by root and not writable by the app user: the image works with a read-only root filesystem. The only writable
# place it needs is /tmp (TMPDIR: .NET's diagnostics socket, libvips and ML.NET temporary files), a tmpfs or emptyDir.
COPY --from=build /app ./

# Health endpoints and /metrics on 8080 in every container (Health:Port); ASPNETCORE_HTTP_PORTS is emptied because the
# worker binds Kestrel itself and would otherwise log that it overrides the image's default URL.
ENV Health__Port=8080 \
    Health__BindAddress=* \
    ASPNETCORE_HTTP_PORTS= \
    TMPDIR=/tmp \
    DOTNET_NOLOGO=1
EXPOSE 8080

# The image's non-root user (APP_UID=1654); numeric, so Kubernetes' runAsNonRoot can verify it.
USER $APP_UID

# The runtime image has no curl or wget: the worker probes itself (health-probe verb, src/Shared/Hosting).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["/app/quikapp-worker", "health-probe"]
ENTRYPOINT ["/app/quikapp-worker"]
