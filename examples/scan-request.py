#!/usr/bin/python3
"""Ask ScanWorker for a scan over plain AMQP (no MassTransit) and print the result event.

    examples/scan-request.py PATH             a file relative to the worker's mount root
    examples/scan-request.py BUCKET KEY       an S3 object

Environment: AMQP_URL (amqp://guest:guest@127.0.0.1:5673/), SCAN_QUEUE (scan-requests),
RESULT_TIMEOUT seconds (60). Exit status like clamdscan: 0 clean, 1 infected, 2 error or no result.
Needs pika: apt-get install python3-pika.
"""
import json
import os
import sys
import uuid

import pika

RESULTS_EXCHANGE = "ScanWorker.Contracts:ScanCompleted"


def main(argv):
    if len(argv) == 2:
        target = {"path": argv[1]}
    elif len(argv) == 3:
        target = {"bucket": argv[1], "key": argv[2]}
    else:
        sys.exit(__doc__)
    url = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5673/")
    queue = os.environ.get("SCAN_QUEUE", "scan-requests")
    timeout = float(os.environ.get("RESULT_TIMEOUT", "60"))

    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    # Subscribe before publishing, so the result cannot be missed. Same flags as the worker declares.
    channel.exchange_declare(RESULTS_EXCHANGE, "fanout", durable=True)
    results = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(results, RESULTS_EXCHANGE)

    scan_id = str(uuid.uuid4())
    request = {"scanId": scan_id, "target": target, "metadata": {"producer": "scan-request.py"}}
    channel.basic_publish("", queue, json.dumps(request),
                          pika.BasicProperties(content_type="application/json", delivery_mode=2))

    for _, _, body in channel.consume(results, auto_ack=True, inactivity_timeout=timeout):
        if body is None:
            print(f"no result for {scan_id} within {timeout:.0f} s", file=sys.stderr)
            return 2
        envelope = json.loads(body)
        message = envelope["message"]
        if message.get("scanId") != scan_id:
            continue
        kind = next(t.rsplit(":", 1)[1] for t in envelope["messageType"] if t.rsplit(":", 1)[1] != "ScanCompleted")
        print(kind)
        print(json.dumps(message, indent=2))
        connection.close()
        return {"ScanClean": 0, "ScanInfected": 1}.get(kind, 2)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
