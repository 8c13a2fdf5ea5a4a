#!/usr/bin/env node
// Ask ScanWorker for a scan over plain AMQP (no MassTransit) and print the result event.
//
//   node scan-request.mjs PATH          a file relative to the worker's mount root
//   node scan-request.mjs BUCKET KEY    an S3 object
//
// Environment: AMQP_URL (amqp://guest:guest@127.0.0.1:5673/), SCAN_QUEUE (scan-requests), RESULT_TIMEOUT seconds (60).
// Exit status like clamdscan: 0 clean, 1 infected, 2 error or no result. Needs amqplib: npm ci (in this folder).
import { randomUUID } from "node:crypto";
import amqp from "amqplib";

const RESULTS_EXCHANGE = "ScanWorker.Contracts:ScanCompleted";
const args = process.argv.slice(2);
const target = args.length === 1 ? { path: args[0] } : args.length === 2 ? { bucket: args[0], key: args[1] } : null;
if (!target) {
  console.error("usage: node scan-request.mjs PATH | BUCKET KEY");
  process.exit(2);
}
const url = process.env.AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5673/";
const queue = process.env.SCAN_QUEUE ?? "scan-requests";
const timeout = Number(process.env.RESULT_TIMEOUT ?? "60");

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
// Subscribe before publishing, so the result cannot be missed. Same flags as the worker declares.
await channel.assertExchange(RESULTS_EXCHANGE, "fanout", { durable: true });
const { queue: results } = await channel.assertQueue("", { exclusive: true });
await channel.bindQueue(results, RESULTS_EXCHANGE, "");

const scanId = randomUUID();
const request = { scanId, target, metadata: { producer: "scan-request.mjs" } };
channel.sendToQueue(queue, Buffer.from(JSON.stringify(request)), { contentType: "application/json", persistent: true });
await channel.waitForConfirms(); // the broker has the request

const code = await new Promise((resolve) => {
  const timer = setTimeout(() => {
    console.error(`no result for ${scanId} within ${timeout} s`);
    resolve(2);
  }, timeout * 1000);
  channel.consume(results, (delivery) => {
    const envelope = JSON.parse(delivery.content.toString("utf8"));
    if (envelope.message?.scanId !== scanId) return;
    clearTimeout(timer);
    const kind = envelope.messageType.map((type) => type.split(":").pop()).find((name) => name !== "ScanCompleted");
    console.log(kind);
    console.log(JSON.stringify(envelope.message, null, 2));
    resolve({ ScanClean: 0, ScanInfected: 1 }[kind] ?? 2);
  }, { noAck: true });
});
await connection.close();
process.exit(code);
