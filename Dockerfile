# syntax=docker/dockerfile:1
# ScanWorker: SDK build stage -> ASP.NET runtime stage. No secrets are baked in: configure with
# environment variables (docs/configuration.md). Runs as the image's non-root user and works with
# a read-only root filesystem (mount a writable /tmp, as docker-compose.yml and deploy/k8s do).
ARG DOTNET_VERSION=10.0
# The release's version and commit (docs/releasing.md: scripts/release-image.sh passes both, and docker-compose.yml
# those scripts/compose-env.sh found). The build stage has no
# git history, so MinVer takes the version from here; a build without it says 0.0.0-local.
ARG VERSION=0.0.0-local
ARG REVISION=unknown

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# Restore first, from the project files only, so that code changes keep the restore layer cached.
COPY global.json nuget.config Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Contracts/Contracts.csproj src/Contracts/
COPY src/ScanWorker/ScanWorker.csproj src/ScanWorker/
RUN dotnet restore src/ScanWorker/ScanWorker.csproj
COPY src/ src/
# --help prints the deployment shapes from the configuration reference (embedded at build time).
COPY docs/configuration.md docs/
COPY scripts/publish.sh scripts/
ARG VERSION
ARG REVISION
RUN bash scripts/publish.sh /app -p:MinVerVersionOverride=${VERSION} -p:SourceRevisionId=${REVISION}

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
ARG VERSION
ARG REVISION
LABEL org.opencontainers.image.title="ScanWorker" \
      org.opencontainers.image.description="clamd scans for RabbitMQ requests, bucket notifications and the clamav-rest API" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
COPY --from=build /app ./
COPY deploy/healthcheck.sh /usr/local/bin/scanworker-healthcheck
ENV DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    # No diagnostic IPC socket in /tmp: nothing needs to be written outside the mounted /tmp.
    DOTNET_EnableDiagnostics=0 \
    Logging__Console__FormatterName=json
# The ports are the worker's defaults (9000, TLS 9443), not set here, so clamav-rest's PORT and SSL_PORT still
# reach them (an alias fills only a key nobody else sets); the healthcheck follows Http__Port or PORT.
EXPOSE 9000 9443
# APP_UID is the non-root "app" user the .NET images ship with.
USER $APP_UID
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["scanworker-healthcheck"]
ENTRYPOINT ["dotnet", "ScanWorker.dll"]
