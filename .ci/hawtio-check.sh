#!/bin/sh
# Hawtio 4 from Maven Central against this tool, end to end: fetches io.hawt:hawtio-war and Tomcat 10.1 with Maven
# (no jbang, no GitHub), deploys Hawtio in Tomcat, and runs HawtioConsoleTest: a real `run` on embedded servers,
# reached through Hawtio's proxy with the Jolokia credentials (200, the Camel routes), without them (401), and from a
# Hawtio opened at an address the tool does not allow (403 with the reason). About a minute; downloads ~25 MB once.
#   .ci/hawtio-check.sh [WORKDIR]     (default: target/hawtio)
set -eu
cd "$(dirname "$0")/.."
dir=${1:-target/hawtio}
hawtio_version=4.2.0
tomcat_version=10.1.49
mkdir -p "$dir"
if [ ! -f "$dir/hawtio-war-$hawtio_version.war" ]; then
  mvn -B -q dependency:copy -Dartifact=io.hawt:hawtio-war:$hawtio_version:war -DoutputDirectory="$dir"
fi
if [ ! -d "$dir/apache-tomcat-$tomcat_version" ]; then
  mvn -B -q dependency:copy -Dartifact=org.apache.tomcat:tomcat:$tomcat_version:tar.gz -DoutputDirectory="$dir"
  tar xzf "$dir/tomcat-$tomcat_version.tar.gz" -C "$dir"
fi
cp "$dir/hawtio-war-$hawtio_version.war" "$dir/apache-tomcat-$tomcat_version/webapps/hawtio.war"
mvn -B -q test -Dtest=HawtioConsoleTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dhawtio.tomcat="$(cd "$dir/apache-tomcat-$tomcat_version" && pwd)"
echo "Hawtio check passed (details: target/surefire-reports/mastodon.s3sync.ops.HawtioConsoleTest.txt)"
