#!/usr/bin/env bash
# make run: the development web server and the job worker side by side.
# Ctrl-C stops both: the worker lets a job in progress finish (a second Ctrl-C
# stops it at once; the job is then shown as failed and can be made again).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
ADDRESS="${1:-127.0.0.1:8000}"

# The worker in a session (and process group) of its own: Ctrl-C reaches the web
# server, and stop() ends the worker's whole group (with its autoreloader).
if [ "${TASKS_BACKEND:-database}" = "rq" ]; then
  setsid "$PY" manage.py rqworker "${JOBS_QUEUE:-default}" --with-scheduler &
  worker=$!
  setsid "$PY" manage.py run_schedule &
  schedule=$!
else
  setsid "$PY" manage.py db_worker &
  worker=$!
  schedule=""
fi

stop() {
  trap - EXIT INT TERM
  trap 'kill -KILL -- "-$worker" ${schedule:+"-$schedule"} 2>/dev/null' INT
  kill -TERM -- "-$worker" ${schedule:+"-$schedule"} 2>/dev/null
  echo "stopping the job worker (a job in progress finishes first; Ctrl-C again to stop it now)" >&2
  wait 2>/dev/null
}
trap '' PIPE
trap stop EXIT INT TERM

"$PY" manage.py runserver "$ADDRESS"
