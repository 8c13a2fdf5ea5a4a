#!/usr/bin/python3
"""The project's own fault run: competing workers on a 3-node RabbitMQ cluster, faults, nothing lost.

    bench/chaos.py --messages 2000 [--workers 3] [--no-faults] [--infected-every 5]

Starts (through the project's scripts) a 3-node cluster, one clamd per worker and N worker processes (the
mount-queue shape's settings (docs/configuration.md) plus RabbitMq__Nodes), publishes the requests with confirms, collects every
result from a durable quorum queue bound to the result exchange, and, unless --no-faults, while the results
come in: SIGKILLs the node leading the request queue (then starts it again), SIGKILLs the clamd under
worker 0 (then starts it again), SIGKILLs worker 1 (then starts it again) and restarts another broker node
cleanly. Each fault waits for the run's progress, never for a clock.

Checks: every scanId has a result, or its request sits in the error queue with a transient ScanError
published for it; no EICAR reported clean; duplicates (at-least-once redeliveries) agree. The last line:
    chaos: N requests, R results, D duplicates (agreeing), E in the error queue, L lost, F false clean, C conflicts
and the exit status is 1 on any loss, false clean or conflict. Environment: BENCH_DIR (scratch dir),
WORKER_DLL (built ScanWorker.dll).
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import pika

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SERVERS = os.path.join(ROOT, "scripts", "servers")
RESULTS_EXCHANGE = "ScanWorker.Contracts:ScanCompleted"
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR" + b"-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"  # two halves: this file is not a signature
RUN_TIMEOUT_S = 900


def log(message):
    print(f"chaos: {message}", flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def script(name, verb, env, *args, timeout=180):
    subprocess.run(["bash", os.path.join(SERVERS, name), verb, *args], env={**os.environ, **env}, check=True,
                   timeout=timeout, stdout=subprocess.DEVNULL)


class Cluster:
    def __init__(self, work):
        self.env = {"RMQC_DIR": os.path.join(work, "cluster"), "RMQC_PORT": str(self._base()), "RMQC_EPMD_PORT": str(free_port())}
        self.ports = [int(self.env["RMQC_PORT"]) + i for i in range(3)]

    @staticmethod
    def _base():
        # Three consecutive free ports and their distribution ports 100 above, below the ephemeral range.
        import random
        for _ in range(200):
            first = random.randint(20000, 29000)
            if all(Cluster._free(p) for p in list(range(first, first + 3)) + list(range(first + 100, first + 103))):
                return first
        raise RuntimeError("no free port run")

    @staticmethod
    def _free(port):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
                return True
            except OSError:
                return False

    def __call__(self, verb, *args):
        script("rabbitmq-cluster.sh", verb, self.env, *args, timeout=240)

    def leader(self, queue):
        out = subprocess.run(["bash", os.path.join(SERVERS, "rabbitmq-cluster.sh"), "leader", queue], env={**os.environ, **self.env},
                             check=True, capture_output=True, text=True, timeout=120)
        return int(out.stdout.strip())

    def connect(self, prefer=0):
        """A blocking connection to the first node that answers, starting at `prefer`."""
        last = None
        for offset in range(3):
            port = self.ports[(prefer + offset) % 3]
            try:
                return pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", port, credentials=pika.PlainCredentials("guest", "guest"),
                                                                         heartbeat=10, blocked_connection_timeout=30))
            except pika.exceptions.AMQPError as error:
                last = error
        raise last


class Clamd:
    def __init__(self, work, index):
        self.env = {"CLAMD_DIR": os.path.join(work, f"clamd{index}"), "CLAMD_TCP_PORT": str(free_port()),
                    "CLAMD_STREAM_MAX": "1M", "CLAMD_MAX_THREADS": "2"}

    def start(self):
        script("clamd.sh", "start", self.env)

    def kill(self):
        with open(os.path.join(self.env["CLAMD_DIR"], "clamd.pid")) as pid:
            os.kill(int(pid.read().strip()), signal.SIGKILL)

    def stop(self):
        script("clamd.sh", "stop", self.env)


class Worker:
    def __init__(self, work, index, cluster, clamd, mount, queue):
        self.index, self.work = index, work
        self.port = free_port()
        self.env = {**os.environ, "Mount__Root": mount, "CLAMD_PORT": f"tcp://127.0.0.1:{clamd.env['CLAMD_TCP_PORT']}",
                    "PORT": str(self.port), "RabbitMq__User": "guest", "RabbitMq__Pass": "guest",
                    "Messaging__ScanRequestsQueue": queue, "Clamd__MaxConcurrentScans": "2",
                    "Logging__LogLevel__Default": "Warning", "Logging__LogLevel__Microsoft.AspNetCore": "Error"}
        for i, port in enumerate(cluster.ports):
            # Each worker lists the nodes from a different first node, so the connections spread over the cluster.
            self.env[f"RabbitMq__Nodes__{i}"] = f"127.0.0.1:{cluster.ports[(i + index) % 3]}"
        self.process = None

    def start(self):
        out = open(os.path.join(self.work, f"worker{self.index}.log"), "ab")
        self.process = subprocess.Popen(["dotnet", os.environ["WORKER_DLL"]], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker {self.index} exited with {self.process.returncode} during start (see worker{self.index}.log)")
            if subprocess.run(["bash", os.path.join(ROOT, "deploy", "healthcheck.sh"), str(self.port), "/health/ready"],
                              stderr=subprocess.DEVNULL).returncode == 0:
                return
            time.sleep(0.25)
        raise RuntimeError(f"worker {self.index} not ready within 90 s")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)

    def cpu_seconds(self):
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Collector(threading.Thread):
    """Reads every result from a durable quorum queue, reconnecting to a surviving node when its node dies."""

    def __init__(self, cluster, queue):
        super().__init__(daemon=True)
        self.cluster, self.queue = cluster, queue
        self.results = {}  # scanId -> list of (kind, transient)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.first_at = self.last_at = None

    def declare(self):
        connection = self.cluster.connect()
        channel = connection.channel()
        channel.exchange_declare(RESULTS_EXCHANGE, "fanout", durable=True)
        channel.queue_declare(self.queue, durable=True, arguments={"x-queue-type": "quorum"})
        channel.queue_bind(self.queue, RESULTS_EXCHANGE)
        connection.close()

    def distinct(self):
        with self.lock:
            return len(self.results)

    def run(self):
        prefer = 0
        while not self.stopping.is_set():
            try:
                connection = self.cluster.connect(prefer)
                channel = connection.channel()
                channel.basic_qos(prefetch_count=500)
                for method, _, body in channel.consume(self.queue, inactivity_timeout=0.5):
                    if self.stopping.is_set():
                        break
                    if method is None:
                        continue
                    self.record(body)
                    channel.basic_ack(method.delivery_tag)
                connection.close()
            except (pika.exceptions.AMQPError, OSError):
                prefer += 1  # that node is gone: the next one

    def record(self, body):
        envelope = json.loads(body)
        kind = next(t.rsplit(":", 1)[1] for t in envelope["messageType"] if not t.endswith(":ScanCompleted"))
        message = envelope["message"]
        now = time.monotonic()
        with self.lock:
            self.results.setdefault(message["scanId"], []).append((kind, bool(message.get("transient"))))
            self.first_at = self.first_at or now
            self.last_at = now


class Publisher(threading.Thread):
    """Publishes every request with a broker confirm at a steady rate, so the faults fall among live traffic. A
    request whose confirm did not arrive (its node died) is published again through a surviving node: the same
    scanId twice, which at-least-once allows."""

    def __init__(self, cluster, queue, requests, rate):
        super().__init__(daemon=True)
        self.cluster, self.queue, self.requests, self.rate = cluster, queue, list(requests.items()), rate
        self.published = 0
        self.republished = 0
        self.error = None

    def run(self):
        properties = pika.BasicProperties(content_type="application/json", delivery_mode=2)
        prefer, started = 1, time.monotonic()
        try:
            while self.published < len(self.requests):
                try:
                    connection = self.cluster.connect(prefer)
                    channel = connection.channel()
                    channel.confirm_delivery()
                    while self.published < len(self.requests):
                        scan_id, path = self.requests[self.published]
                        # mandatory: an unroutable request raises instead of vanishing.
                        channel.basic_publish("", self.queue, json.dumps({"scanId": scan_id, "target": {"path": path}}), properties,
                                              mandatory=True)
                        self.published += 1
                        ahead = started + self.published / self.rate - time.monotonic() if self.rate > 0 else 0
                        if ahead > 0:
                            time.sleep(ahead)  # pacing the load, not synchronising with it
                    connection.close()
                except (pika.exceptions.AMQPError, OSError):
                    prefer += 1
                    self.republished += 1
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            self.error = error


def declare_like_the_worker(cluster, queue):
    """The request queue as the worker declares it (durable, quorum), so the worker takes over a preloaded queue."""
    connection = cluster.connect()
    connection.channel().queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
    connection.close()


def error_queue_ids(cluster, queue):
    connection = cluster.connect()
    channel = connection.channel()
    ids = []
    try:
        channel.queue_declare(queue + "_error", passive=True)
    except pika.exceptions.ChannelClosedByBroker as error:
        if error.reply_code != 404:
            raise
        connection.close()
        return ids  # never declared: MassTransit declares an error queue when it first moves a message there
    while True:
        method, _, body = channel.basic_get(queue + "_error", auto_ack=False)
        if method is None:
            break
        try:
            ids.append(json.loads(body)["message"]["scanId"])
        except (ValueError, KeyError):
            ids.append(None)
    connection.close()
    return ids


def cpu_of(pid_file):
    """utime + stime of the process a pid file names, in seconds (0 when it is gone)."""
    try:
        with open(pid_file) as pid, open(f"/proc/{int(pid.read().strip())}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return 0.0


def machine_busy():
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def wait_for(condition, what, timeout_s=RUN_TIMEOUT_S):
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout_s} s")
        time.sleep(0.1)


def main():
    # SIGTERM (a timeout, Ctrl-C from a wrapper) unwinds through the finally blocks: no worker is left running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--infected-every", type=int, default=5)
    parser.add_argument("--rate", type=float, default=50.0, help="requests published per second (faults fall among them); 0: unpaced")
    parser.add_argument("--preload", action="store_true", help="publish everything before the workers start (throughput runs)")
    options = parser.parse_args()
    work = os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="scanworker-chaos-")
    run = uuid.uuid4().hex[:8]
    queue = f"chaos-requests-{run}"
    mount = os.path.join(work, "mount")
    os.makedirs(mount, exist_ok=True)
    with open(os.path.join(mount, "clean.txt"), "wb") as clean:
        clean.write(b"Just an ordinary document.\n" * 100)
    with open(os.path.join(mount, "eicar.com"), "wb") as eicar:
        eicar.write(EICAR)
    requests = {str(uuid.uuid4()): ("eicar.com" if i % options.infected_every == 0 else "clean.txt") for i in range(options.messages)}

    cluster = Cluster(work)
    clamds = [Clamd(work, i) for i in range(options.workers)]
    workers = []
    collector = None
    try:
        start = time.monotonic()
        cluster("start")
        for clamd in clamds:
            clamd.start()
        log(f"cluster on 127.0.0.1:{cluster.ports[0]}..{cluster.ports[2]} and {options.workers} clamd in {time.monotonic() - start:.0f} s")
        collector = Collector(cluster, f"chaos-results-{run}")
        collector.declare()
        workers = [Worker(work, i, cluster, clamds[i], mount, queue) for i in range(options.workers)]
        collector.start()
        publisher = Publisher(cluster, queue, requests, 0 if options.preload else options.rate)
        if options.preload:
            declare_like_the_worker(cluster, queue)
            publisher.start()
            publisher.join(timeout=RUN_TIMEOUT_S)
            log(f"{options.messages} requests preloaded with confirms into {queue}")
        for worker in workers:
            worker.start()
        brokers = [os.path.join(cluster.env["RMQC_DIR"], f"node{i}", "rabbitmq-server.pid") for i in range(3)]
        scanners = [os.path.join(clamd.env["CLAMD_DIR"], "clamd.pid") for clamd in clamds]
        cpu_before = (sum(map(cpu_of, brokers)), sum(map(cpu_of, scanners)), machine_busy())
        if not options.preload:
            publisher.start()
            log(f"publishing {options.messages} requests with confirms to {queue} at {options.rate:.0f}/s ({options.workers} workers competing)")
        total = len(requests)

        def at(fraction):
            fraction = min(fraction, 0.95)
            wait_for(lambda: collector.distinct() >= fraction * total or publisher.error, f"{fraction:.0%} of the results")
            if publisher.error:
                raise publisher.error

        if not options.no_faults:
            at(0.15)
            leader = cluster.leader(queue)
            cluster("kill", str(leader))
            log(f"fault: node {leader}, leader of {queue}, SIGKILLed at {collector.distinct()} results")
            cluster("start-node", str(leader))
            log(f"fault: node {leader} started again at {collector.distinct()} results")
            at(0.35)
            clamds[0].kill()
            log(f"fault: clamd under worker 0 SIGKILLed at {collector.distinct()} results")
            at(collector.distinct() / total + 0.05)  # the other workers go on meanwhile
            clamds[0].start()
            log(f"fault: clamd under worker 0 started again at {collector.distinct()} results")
            at(0.55)
            victim = 1 % options.workers
            workers[victim].kill()
            log(f"fault: worker {victim} SIGKILLed at {collector.distinct()} results")
            workers[victim].start()
            log(f"fault: worker {victim} started again at {collector.distinct()} results")
            at(0.75)
            restart = (cluster.leader(queue) + 1) % 3
            cluster("stop-node", str(restart))
            cluster("start-node", str(restart))
            log(f"fault: node {restart} restarted cleanly at {collector.distinct()} results")

        # Done when every request has a result; one that failed for good also has its request in the error queue.
        publisher.join(timeout=RUN_TIMEOUT_S)
        if publisher.error:
            raise publisher.error
        log(f"all {total} requests published ({publisher.republished} publishes repeated after a lost connection)")
        wait_for(lambda: collector.distinct() >= total, "a result for every request")
        elapsed = collector.last_at - collector.first_at if collector.last_at else 0.0
        cpu = sum(worker.cpu_seconds() for worker in workers)
        busy, jiffies = machine_busy()
        split = (f"brokers {sum(map(cpu_of, brokers)) - cpu_before[0]:.1f} s, clamd {sum(map(cpu_of, scanners)) - cpu_before[1]:.1f} s, "
                 f"machine {100 * (busy - cpu_before[2][0]) / max(1, jiffies - cpu_before[2][1]):.0f}% busy of {os.cpu_count()} cores") \
            if options.no_faults else "CPU split not measured across restarts"
        collector.stopping.set()
        for worker in workers:
            worker.stop()
        errors_queued = error_queue_ids(cluster, queue)
    finally:
        if collector:
            collector.stopping.set()
        for worker in workers:
            worker.stop()
        cluster("stop")
        for clamd in clamds:
            clamd.stop()
    results = collector.results
    lost = [i for i in requests if i not in results]
    false_clean = [i for i, path in requests.items() if path == "eicar.com" and any(kind == "ScanClean" for kind, _ in results.get(i, []))]
    # Verdicts that disagree; a transient ScanError beside a verdict is a failed attempt, not a conflict.
    conflicts = [i for i, kinds in results.items() if {"ScanClean", "ScanInfected"} <= {kind for kind, _ in kinds}]
    # A request may end in the error queue only with a transient ScanError published for it.
    bad_errors = [i for i in errors_queued if i is None or not any(kind == "ScanError" and transient for kind, transient in results.get(i, []))]
    wrong = [i for i, path in requests.items() if i in results and path == "clean.txt"
             and not any(kind in ("ScanClean", "ScanError") for kind, _ in results[i])]
    duplicates = sum(len(kinds) - 1 for kinds in results.values())
    rate = total / elapsed if elapsed > 0 else float("nan")
    log(f"{rate:.0f} results/s from first to last result over {elapsed:.1f} s; "
        f"worker CPU {cpu:.1f} s = {1000 * cpu / total:.2f} ms per request, {split} ({options.workers} workers, {'no faults' if options.no_faults else 'faults'})")
    for name, ids in (("lost", lost), ("false clean", false_clean), ("conflicting", conflicts), ("error queue without transient ScanError", bad_errors),
                      ("clean file not clean", wrong)):
        if ids:
            log(f"FAIL {len(ids)} {name}, e.g. {ids[:3]}")
    print(f"chaos: {total} requests, {len(results)} results, {duplicates} duplicates (agreeing), {len(errors_queued)} in the error queue, "
          f"{len(lost)} lost, {len(false_clean)} false clean, {len(conflicts)} conflicts, rate {rate:.0f}/s")
    return 1 if lost or false_clean or conflicts or bad_errors or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
