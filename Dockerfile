# metagate container image: build the fat jar, then run it on a JRE as a non-root user.
#   docker build -t metagate .
#   docker run -p 8080:8080 -p 9090:9090 -e METAGATE_AUTH_ISSUER=https://your-zitadel.example.com metagate
# Configuration: mount a directory holding metagate.yaml on /app/conf, or set METAGATE_* variables
# (see README.md). The ENV below overrides the same keys in a mounted file (environment beats file).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 metagate \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app metagate \
 && mkdir -p /app/conf /app/data && chown -R 10001:10001 /app/data
WORKDIR /app
COPY --from=build /src/target/metagate.jar ./
# The class-data-sharing archive is recorded here, by this image's JVM and with the jar at the path
# the ENTRYPOINT runs: the JVM refuses an archive recorded for another class path or JVM build.
RUN java -XX:ArchiveClassesAtExit=/app/metagate.jsa -jar /app/metagate.jar self-test \
 && rm -rf /tmp/*
COPY conf/metagate.yaml conf/metagate.yaml
USER 10001:10001
# Listen on all interfaces inside the container; the dev issuer stays off (set auth.issuer).
ENV METAGATE_HTTP_HOST=0.0.0.0 \
    METAGATE_ADMIN_HOST=0.0.0.0 \
    METAGATE_AUTH_DEV_ISSUER=false \
    METAGATE_STORE_PATH=/app/data/metagate.db \
    JAVA_OPTS="-Xms64m -Xmx384m"
EXPOSE 8080 9090
VOLUME /app/data
HEALTHCHECK --interval=10s --timeout=2s --retries=3 \
  CMD curl -fsS http://127.0.0.1:9090/health/ready || exit 1
ENTRYPOINT ["sh", "-c", "exec java -XX:SharedArchiveFile=/app/metagate.jsa -Xshare:auto $JAVA_OPTS -jar /app/metagate.jar --config /app/conf/metagate.yaml \"$@\"", "--"]
