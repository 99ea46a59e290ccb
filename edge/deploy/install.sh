#!/usr/bin/env bash
# Installs the HomeSignal kit service on Raspberry Pi OS (64-bit, Bookworm or later).
#
#   sudo edge/deploy/install.sh --kit-id kit-7f3a --broker hub.example.nl --password-file /root/kit-7f3a.secret
#
# Steps: publish the worker for linux-arm64 (self-contained; needs the .NET 10 SDK on this machine, or pass --from DIR
# with a publish output built elsewhere), install it to /opt/homesignal-edge, create the service user, the data
# directory /var/lib/homesignal-edge (0700) and /etc/homesignal/edge.json (0600, the kit's own credentials), install
# and start the systemd unit. Re-running upgrades the binaries and keeps the settings file and the outbox.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
prefix=/opt/homesignal-edge
data=/var/lib/homesignal-edge
config_dir=/etc/homesignal
config=$config_dir/edge.json
unit=/etc/systemd/system/homesignal-edge.service
user=homesignal

kit_id="" broker="" port=8883 username="" password_file="" ca_file="" from="" start=1

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  cat <<USAGE
Options:
  --kit-id ID            pseudonymous kit id registered at the hub (required for a new install)
  --broker HOST          the hub's MQTT broker (required for a new install)
  --port N               broker TLS port (default 8883)
  --username NAME        MQTT user name (default: the kit id)
  --password-file FILE   file holding this kit's MQTT password (required for a new install; never a default)
  --ca-file FILE         PEM CA certificate of the broker, when it is not in the system store
  --from DIR             install this linux-arm64 publish output instead of publishing here
  --no-start             install and enable, but do not start
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --kit-id) kit_id=$2; shift 2 ;;
    --broker) broker=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --username) username=$2; shift 2 ;;
    --password-file) password_file=$2; shift 2 ;;
    --ca-file) ca_file=$2; shift 2 ;;
    --from) from=$2; shift 2 ;;
    --no-start) start=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option '$1'." >&2; usage >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "Run as root (sudo): the script creates a system user and installs a systemd unit." >&2
  exit 1
fi

arch=$(uname -m)
if [ "$arch" != "aarch64" ] && [ -z "$from" ]; then
  echo "Note: this machine is $arch; publishing for linux-arm64 anyway (copy the result with --from on the Pi)." >&2
fi

# 1. Publish (or take a given publish output).
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
if [ -n "$from" ]; then
  [ -x "$from/HomeSignal.Edge" ] || { echo "--from $from does not hold a HomeSignal.Edge publish output." >&2; exit 1; }
  cp -a "$from/." "$stage/"
else
  command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed to publish (or use --from DIR)." >&2; exit 1; }
  dotnet publish "$repo/edge/HomeSignal.Edge/HomeSignal.Edge.csproj" -c Release -r linux-arm64 --self-contained true \
    -p:PublishReadyToRun=false -o "$stage" --nologo
fi

# 2. Libraries the GPIO driver may need (Raspberry Pi 5 uses libgpiod), and the service user in the gpio group.
if command -v apt-get >/dev/null && ! ldconfig -p | grep -q libgpiod; then
  apt-get install -y -qq libgpiod2 >/dev/null 2>&1 || apt-get install -y -qq libgpiod3 >/dev/null 2>&1 || \
    echo "Warning: libgpiod could not be installed; on a Raspberry Pi 5 GPIO needs it." >&2
fi
getent group gpio >/dev/null || groupadd --system gpio
id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --home-dir "$data" --shell /usr/sbin/nologin "$user"
usermod -a -G gpio "$user"

# 3. Binaries.
systemctl stop homesignal-edge 2>/dev/null || true
install -d -m 0755 "$prefix"
rm -rf "${prefix:?}/"*
cp -a "$stage/." "$prefix/"
chown -R root:root "$prefix"
chmod 0755 "$prefix/HomeSignal.Edge"

# 4. Data directory: private to the service (the outbox holds behaviour data).
install -d -m 0700 -o "$user" -g "$user" "$data"
chmod 0700 "$data"

# 5. Settings with this kit's identity and credentials; kept on upgrade.
install -d -m 0750 -o root -g "$user" "$config_dir"
if [ ! -f "$config" ]; then
  missing=()
  [ -n "$kit_id" ] || missing+=(--kit-id)
  [ -n "$broker" ] || missing+=(--broker)
  [ -n "$password_file" ] || missing+=(--password-file)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "A new install needs ${missing[*]} (there are no default credentials)." >&2
    exit 1
  fi
  [ -r "$password_file" ] || { echo "Cannot read $password_file." >&2; exit 1; }
  ca_target=""
  if [ -n "$ca_file" ]; then
    ca_target=$config_dir/broker-ca.pem
    install -m 0640 -o root -g "$user" "$ca_file" "$ca_target"
  fi
  umask 077
  KIT_ID=$kit_id BROKER=$broker PORT=$port USERNAME=${username:-$kit_id} PASSWORD_FILE=$password_file CA=$ca_target \
  python3 - "$config" <<'PY'
import json, os, sys
password = open(os.environ["PASSWORD_FILE"], encoding="utf-8").read().strip()
mqtt = {"Host": os.environ["BROKER"], "Port": int(os.environ["PORT"]), "UseTls": True,
        "Username": os.environ["USERNAME"], "Password": password}
if os.environ.get("CA"):
    mqtt["CaCertificatePath"] = os.environ["CA"]
settings = {"Kit": {"KitId": os.environ["KIT_ID"], "DataDirectory": "/var/lib/homesignal-edge"}, "Mqtt": mqtt}
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(settings, f, indent=2)
    f.write("\n")
PY
  chown "$user:$user" "$config"
  chmod 0600 "$config"
  echo "Wrote $config (0600). Sensors and pins come from the built-in defaults; override them there (see edge/README.md)."
fi

# 6. The unit.
install -m 0644 "$repo/edge/deploy/homesignal-edge.service" "$unit"
systemctl daemon-reload
systemctl enable homesignal-edge >/dev/null
if [ "$start" -eq 1 ]; then
  systemctl restart homesignal-edge
  sleep 3
  systemctl --no-pager --lines=15 status homesignal-edge || true
fi
echo "Installed. Follow the log with: journalctl -u homesignal-edge -f"
