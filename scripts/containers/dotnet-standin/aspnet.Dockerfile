# STAND-IN for mcr.microsoft.com/dotnet/aspnet:10.0, built from Debian and this machine's .NET runtime
# because no image registry is reachable here (scripts/containers/images.sh). Not Microsoft's image;
# it keeps what ScanWorker's Dockerfile relies on: the "app" user with APP_UID 1654 and ports env.
FROM local/debian:bookworm
COPY apt/sources.list.d/ /etc/apt/sources.list.d/
COPY apt/apt.conf.d/ /etc/apt/apt.conf.d/
RUN rm -f /etc/apt/sources.list && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates libicu72 libssl3 >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1654 app && useradd --uid 1654 --gid app --no-create-home --shell /usr/sbin/nologin app
COPY dotnet/ /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true
