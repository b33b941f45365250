#!/usr/bin/env bash
# A private single-node Slurm cluster on 127.0.0.1 for tests and trying the farm engine:
# its own munge key and socket, its own ports, state and logs in DIR; no systemd, no
# cgroups. Stopped by the PIDs in its own pid files, never by process name.
#
#   scripts/slurm-cluster.sh start DIR   start munged, slurmctld, slurmd; prints SLURM_CONF=...
#   scripts/slurm-cluster.sh status DIR  exit 0 when all three run and the node is idle/usable
#   scripts/slurm-cluster.sh stop DIR    cancel the cluster's jobs, stop the daemons, wait
#
# Clients reach it with SLURM_CONF=DIR/slurm.conf. Ports: SLURM_CLUSTER_PORT (controller;
# the node daemon uses the next one), default: two free ports picked at start.
# Tasks that exit 75 are requeued (RequeueExit=75), as storyreel's farm expects.
set -euo pipefail

die() { echo "slurm-cluster: $*" >&2; exit 1; }

command_name=${1:-}
dir=${2:-}
[ -n "$command_name" ] && [ -n "$dir" ] || die "usage: $0 start|stop|status DIR"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

pid_of() {  # pid from a pid file, only if that process is still the program we started
  local file=$1 program=$2 pid
  [ -s "$file" ] || return 1
  pid=$(cat "$file")
  [ -d "/proc/$pid" ] || return 1
  grep -q "$program" "/proc/$pid/comm" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat")" != Z ] || return 1
  echo "$pid"
}

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_ports() {
  if [ -n "${SLURM_CLUSTER_PORT:-}" ]; then echo "$SLURM_CLUSTER_PORT"; return; fi
  local base
  for _ in $(seq 1 50); do
    base=$(( 20000 + RANDOM % 20000 ))
    if port_is_free "$base" && port_is_free $((base + 1)); then echo "$base"; return; fi
  done
  die "no free pair of TCP ports found"
}

write_config() {
  local host=$1 port=$2 cpu_line
  cpu_line=$(slurmd -C | head -1 | sed -e "s/^NodeName=[^ ]* //")
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  cat >"$dir/slurm.conf" <<CONF
# Written by scripts/slurm-cluster.sh: a private single-node cluster.
ClusterName=storyreel
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket,cred_expire=10
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=sched_interval=1,bf_interval=1
DependencyParameters=kill_invalid_depend
MinJobAge=3600
MailProg=/bin/true
ReturnToService=2
RequeueExit=75
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host $cpu_line State=UNKNOWN
PartitionName=farm Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
}

start() {
  for program in munged slurmctld slurmd mungekey; do
    command -v "$program" >/dev/null || [ -x "/usr/sbin/$program" ] || die "$program is not installed (scripts/setup.sh installs it)"
  done
  export PATH=$PATH:/usr/sbin
  if pid_of "$dir/slurmctld.pid" slurmctld >/dev/null; then die "a cluster already runs in $dir"; fi
  local host port
  host=$(hostname -s)
  port=$(pick_ports)
  write_config "$host" "$port"
  [ -s "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null
  chmod 0600 "$dir/munge/munge.key"
  munged --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" \
    --seed-file="$dir/munge/munged.seed" --force
  slurmctld -f "$dir/slurm.conf" -i
  slurmd -f "$dir/slurm.conf"
  export SLURM_CONF="$dir/slurm.conf"
  for _ in $(seq 1 100); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      echo "SLURM_CONF=$dir/slurm.conf"
      return
    fi
    sleep 0.1
  done
  echo "slurm-cluster: the node did not come up; logs in $dir/log" >&2
  stop
  exit 1
}

status() {
  local ok=0
  for daemon in munge/munged:munged slurmctld:slurmctld slurmd:slurmd; do
    local file=${daemon%%:*} program=${daemon##*:}
    if pid=$(pid_of "$dir/$file.pid" "$program"); then echo "$program: running (pid $pid)"; else echo "$program: not running"; ok=1; fi
  done
  if [ $ok -eq 0 ]; then
    SLURM_CONF="$dir/slurm.conf" sinfo -h -o 'node %N: %T' 2>/dev/null || ok=1
  fi
  return $ok
}

stop_daemon() {  # SIGTERM, then SIGKILL after 10 s; waits until the process is gone
  local file=$1 program=$2 pid
  pid=$(pid_of "$file" "$program") || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do pid_of "$file" "$program" >/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do pid_of "$file" "$program" >/dev/null || return 0; sleep 0.1; done
}

stop() {
  export PATH=$PATH:/usr/sbin
  # Running jobs outlive the daemons: cancel them first and give them a moment to end.
  if pid_of "$dir/slurmctld.pid" slurmctld >/dev/null; then
    SLURM_CONF="$dir/slurm.conf" scancel --full --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 1 50); do
      [ -z "$(SLURM_CONF="$dir/slurm.conf" squeue -h -t running,completing 2>/dev/null)" ] && break
      sleep 0.1
    done
  fi
  stop_daemon "$dir/slurmd.pid" slurmd
  stop_daemon "$dir/slurmctld.pid" slurmctld
  stop_daemon "$dir/munge/munged.pid" munged
}

case "$command_name" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status DIR" ;;
esac
