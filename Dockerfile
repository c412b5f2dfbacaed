# Build: docker build -t darklaunch .   Run: see docker-compose.yml (needs DARKLAUNCH_DATABASE_URL or a volume for the embedded database)
# The admin UI is built with Node in its own stage, then packaged by Maven with -DskipUi.
FROM node:20-bookworm-slim AS ui
WORKDIR /src/admin-ui
COPY admin-ui/package.json admin-ui/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY admin-ui ./
RUN npm run build

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY sdk-java sdk-java
COPY admin-ui admin-ui
COPY server server
COPY --from=ui /src/admin-ui/target/classes/darklaunch-admin-ui admin-ui/target/classes/darklaunch-admin-ui
RUN mvn -B -q -DskipTests -DskipUi package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/darklaunch darklaunch
COPY --from=build /src/server/target/darklaunch-server.jar /opt/darklaunch/darklaunch-server.jar
USER darklaunch
WORKDIR /var/lib/darklaunch
ENV DARKLAUNCH_PORT=8080 DARKLAUNCH_DATA_DIR=/var/lib/darklaunch/data
EXPOSE 8080
VOLUME /var/lib/darklaunch/data
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/darklaunch/darklaunch-server.jar"]
