# STAND-IN for mcr.microsoft.com/dotnet/sdk:10.0, built from Debian and this machine's .NET SDK because
# no image registry is reachable here (scripts/containers/images.sh). Not Microsoft's image.
FROM local/debian:bookworm
COPY apt/sources.list.d/ /etc/apt/sources.list.d/
COPY apt/apt.conf.d/ /etc/apt/apt.conf.d/
COPY ca/ /usr/local/share/ca-certificates/
RUN rm -f /etc/apt/sources.list && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates libicu72 libssl3 >/dev/null \
 && update-ca-certificates >/dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY dotnet/ /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 NUGET_CERT_REVOCATION_MODE=offline
