namespace ScanWorker.Diagnostics;

/// <summary>
/// Every log statement of the worker, source-generated, in the order of their event ids. Ids are stable and grouped by
/// area (1xxx messaging, 2xxx clamd, 4xxx HTTP, 5xxx hosting, 6xxx buckets; 3xxx was sources, which log through
/// their callers); a new statement takes the next free id of its area. Method names become EventName and are part of
/// the telemetry contract, so do not rename them.
/// </summary>
internal static partial class Log
{
    // 1xxx Messaging: the bus, the broker session, queued scans
    [LoggerMessage(1001, LogLevel.Information,
        "Scan {ScanId} from {Source}: {Verdict} {Reason} after {ScannedBytes} bytes in {ElapsedMs} ms ({Detail})")]
    public static partial void ScanCompleted(this ILogger logger, Guid scanId, string source, string verdict,
        ScanWorker.Contracts.ScanErrorReason? reason, long scannedBytes, long elapsedMs, string detail);

    [LoggerMessage(1002, LogLevel.Warning, "Scan {ScanId} failed transiently (retry {Retry} of {RetryLimit}): {Detail}")]
    public static partial void ScanRetrying(this ILogger logger, Guid scanId, int retry, int retryLimit, string detail);

    [LoggerMessage(1003, LogLevel.Error, "A scan request without a scanId goes to the error queue: {Problem}")]
    public static partial void ScanRequestUnidentifiable(this ILogger logger, string problem);

    [LoggerMessage(1004, LogLevel.Error,
        "A message on {Queue} could not be read and goes to the error queue (scanId {ScanId}): {Problem}")]
    public static partial void ScanRequestUnreadable(this ILogger logger, string queue, Guid? scanId, string problem);

    [LoggerMessage(1005, LogLevel.Critical,
        "The queue of {Endpoint} exists with another type than Messaging:QueueType={QueueType}, so nothing is consumed from it: {BrokerMessage}. "
        + "Keep the existing queues with Messaging__QueueType=Classic, or drain and delete them so the worker declares them anew (docs/deployment.md, \"Queue type\")")]
    public static partial void QueueTypeMismatch(this ILogger logger, string endpoint, Messaging.QueueType queueType, string brokerMessage);

    [LoggerMessage(1006, LogLevel.Warning, "Consumption from {Queue} is paused while clamd is down; its messages wait in the broker")]
    public static partial void ScanQueuePaused(this ILogger logger, string queue);

    [LoggerMessage(1007, LogLevel.Information, "Consumption from {Queue} resumes: clamd answers again")]
    public static partial void ScanQueueResumed(this ILogger logger, string queue);

    [LoggerMessage(1008, LogLevel.Warning, "Pausing or resuming {Queue} failed: {Problem}")]
    public static partial void ScanQueuePauseFailed(this ILogger logger, string queue, string problem);

    [LoggerMessage(1009, LogLevel.Warning, "The broker session failed: {Cause}. Retrying with growing pauses until it works")]
    public static partial void BrokerSessionFailed(this ILogger logger, string cause);

    [LoggerMessage(1010, LogLevel.Information, "Connected to the broker again (it failed with: {Cause})")]
    public static partial void BrokerSessionRestored(this ILogger logger, string cause);

    [LoggerMessage(1011, LogLevel.Debug, "Starting the bus again failed: {Problem}")]
    public static partial void BrokerStartRetryFailed(this ILogger logger, string problem);

    [LoggerMessage(1012, LogLevel.Error, "Consumer {Consumer} failed on {Queue} ({ExceptionType}): {Problem}")]
    public static partial void ConsumerFailed(this ILogger logger, string consumer, string queue, string exceptionType, string problem);

    [LoggerMessage(1015, LogLevel.Warning,
        "A message on {Queue} had no consumer here (content type {ContentType}; a MassTransit envelope names its type in messageType) and went to the queue's _skipped queue unanswered")]
    public static partial void MessageSkipped(this ILogger logger, string queue, string contentType);

    [LoggerMessage(1013, LogLevel.Information, "Consuming from queue {Queue}")]
    public static partial void Consuming(this ILogger logger, string queue);

    [LoggerMessage(1014, LogLevel.Error, "Refused the broker's TLS certificate, nothing was sent to it: {Problem}")]
    public static partial void BrokerCertificateRejected(this ILogger logger, string problem);

    // 2xxx clamd: capacity, health, the engine canary
    [LoggerMessage(2001, LogLevel.Information, "At most {Capacity} scans in flight towards clamd (from {Source})")]
    public static partial void ClamdConcurrencyBound(this ILogger logger, int capacity, string source);

    [LoggerMessage(2002, LogLevel.Warning,
        "clamd did not report its MaxThreads ({Reason}); assuming clamd's default. Set Clamd:MaxConcurrentScans to choose the bound")]
    public static partial void ClamdStatsUnavailable(this ILogger logger, string reason);

    [LoggerMessage(2003, LogLevel.Information, "clamd at {Address}: engine {Engine}, signatures {SignatureVersion} of {SignatureDate}")]
    public static partial void ClamdVersionSeen(this ILogger logger, string address, string engine, string signatureVersion,
        string signatureDate);

    [LoggerMessage(2004, LogLevel.Debug, "clamd is not reachable yet at start: {Reason}")]
    public static partial void ClamdNotReachable(this ILogger logger, string reason);

    [LoggerMessage(2006, LogLevel.Warning, "Signatures are stale: {Problem}. Clean answers are reported as StaleSignatures until they are updated")]
    public static partial void SignaturesStale(this ILogger logger, string problem);

    [LoggerMessage(2007, LogLevel.Information, "Signatures are fresh again: version {SignatureVersion} of {SignatureDate}")]
    public static partial void SignaturesFresh(this ILogger logger, int? signatureVersion, DateTimeOffset? signatureDate);

    [LoggerMessage(2008, LogLevel.Warning,
        "clamd is down: {Reason}. Scans fail fast (REST 503 with Retry-After) and the scan queues pause until it answers PING again")]
    public static partial void ClamdBreakerOpened(this ILogger logger, string reason);

    [LoggerMessage(2009, LogLevel.Information, "clamd at {Address} answers PING again after {DownSeconds} s down; scans and scan queues resume")]
    public static partial void ClamdBreakerClosed(this ILogger logger, string address, long downSeconds);

    [LoggerMessage(2010, LogLevel.Debug, "clamd answered PING, but not with PONG: {Problem}")]
    public static partial void ClamdPingAnsweredOddly(this ILogger logger, string problem);

    [LoggerMessage(2011, LogLevel.Error,
        "Engine canary failed: {Problem}. No clean verdict leaves the worker (ScanError ScannerError, REST 503, readiness 503) until clamd detects again: check its signature database (docs/operations.md)")]
    public static partial void EngineCanaryFailed(this ILogger logger, string problem);

    [LoggerMessage(2012, LogLevel.Information, "Engine canary passed: {Engine} detects every must-detect sample; clean answers are trusted")]
    public static partial void EngineCanaryPassed(this ILogger logger, string engine);

    [LoggerMessage(2013, LogLevel.Warning,
        "The engine canary is off (Clamd__Canary__Enabled=false): clean answers are trusted without proof that clamd detects anything")]
    public static partial void EngineCanaryOff(this ILogger logger);

    // 4xxx HTTP: the REST facade
    [LoggerMessage(4001, LogLevel.Information, "HTTP scan of {FileName}: {Status} {Description} after {ScannedBytes} bytes in {ElapsedMs} ms")]
    public static partial void HttpScanCompleted(this ILogger logger, string fileName, string status, string description, long scannedBytes,
        long elapsedMs);

    [LoggerMessage(4002, LogLevel.Warning, "HTTPS on port {Port} is off: {Reason}")]
    public static partial void HttpsSkipped(this ILogger logger, int port, string reason);

    [LoggerMessage(4003, LogLevel.Warning,
        "The scan endpoints have no API key: {Exposure}. Set Http__ApiKeys__0, or Http__BindAddress=127.0.0.1 when only this host calls them")]
    public static partial void ScanEndpointsOpen(this ILogger logger, string exposure);

    // 5xxx Hosting: start-up, settings, readiness
    [LoggerMessage(5001, LogLevel.Warning, "Not ready: {Failing}")]
    public static partial void NotReady(this ILogger logger, string failing);

    [LoggerMessage(5002, LogLevel.Information, "Ready again: every readiness check passes")]
    public static partial void ReadyAgain(this ILogger logger);

    [LoggerMessage(5003, LogLevel.Information, "ScanWorker {Version} started: {Summary}")]
    public static partial void Started(this ILogger logger, string version, string summary);

    [LoggerMessage(5004, LogLevel.Warning, "{Problem}")]
    public static partial void SettingIgnored(this ILogger logger, string problem);

    // 6xxx Buckets: notifications, write-back, rescans
    [LoggerMessage(6001, LogLevel.Debug, "Bucket event {EventName} for {Bucket}/{Key} is not scanned: {Reason}")]
    public static partial void BucketRecordIgnored(this ILogger logger, string eventName, string bucket, string key, string reason);

    [LoggerMessage(6002, LogLevel.Information, "An s3:TestEvent arrived on {Queue} (a store checking its notification target); nothing to scan")]
    public static partial void BucketTestEvent(this ILogger logger, string queue);

    [LoggerMessage(6003, LogLevel.Error, "A message on {Queue} is not a bucket notification and goes to the error queue: {Problem}")]
    public static partial void BucketEventUnreadable(this ILogger logger, string queue, string problem);

    [LoggerMessage(6004, LogLevel.Debug, "Bucket notification: {Queued} objects queued for scanning, {Ignored} records ignored")]
    public static partial void BucketObjectsQueued(this ILogger logger, int queued, int ignored);

    [LoggerMessage(6005, LogLevel.Information, "Scan {ScanId}: wrote back to s3://{Bucket}/{Key}: {Action}")]
    public static partial void WriteBackDone(this ILogger logger, Guid scanId, string bucket, string key, string action);

    [LoggerMessage(6006, LogLevel.Warning, "Scan {ScanId}: nothing written back to s3://{Bucket}/{Key}: {Reason}")]
    public static partial void WriteBackSkipped(this ILogger logger, Guid scanId, string bucket, string key, string reason);

    [LoggerMessage(6007, LogLevel.Warning, "Scan {ScanId}: write-back failed (attempt {Attempt} of {Attempts}), retrying: {Detail}")]
    public static partial void WriteBackRetrying(this ILogger logger, Guid scanId, int attempt, int attempts, string detail);

    [LoggerMessage(6008, LogLevel.Error,
        "Scan {ScanId}: the verdict was published but could not be written back to s3://{Bucket}/{Key}; the message goes to the error queue for replay: {Detail}")]
    public static partial void WriteBackFailed(this ILogger logger, Guid scanId, string bucket, string key, string detail);

    [LoggerMessage(6009, LogLevel.Information,
        "Rescan {RescanId} of {Bucket}/{Prefix}: page {Page} queued {Queued} objects, skipped {Skipped}{More}")]
    public static partial void RescanPageQueued(this ILogger logger, Guid rescanId, string bucket, string prefix, int page, int queued,
        int skipped, string more);

    [LoggerMessage(6010, LogLevel.Information,
        "Scan {ScanId}: s3://{Bucket}/{Key} is not there yet ({Reason}); a Ceph multipart upload reports its start as ObjectCreated:Post, its completion will be scanned")]
    public static partial void BucketObjectNotYetThere(this ILogger logger, Guid scanId, string bucket, string key, string reason);

    [LoggerMessage(6011, LogLevel.Warning, "Rescan {RescanId}: s3://{Bucket}/{Key} was listed but cannot be read now ({Status}); skipped, the page goes on")]
    public static partial void RescanObjectSkipped(this ILogger logger, Guid rescanId, string bucket, string key, string status);

    [LoggerMessage(6012, LogLevel.Warning, "{What} for bucket '{Bucket}' refused, nothing read or written there: {Reason}")]
    public static partial void BucketRefused(this ILogger logger, string what, string bucket, string reason);

    [LoggerMessage(6013, LogLevel.Information,
        "Rescan {RescanId} of {Bucket}/{Prefix} is complete: listed {Listed}, queued {Queued}, skipped {Skipped}; clean {Clean}, infected {Infected}, errors {Errors} (counted from page {FromPage})")]
    public static partial void RescanCompleted(this ILogger logger, Guid rescanId, string bucket, string prefix, long listed, long queued, long skipped,
        long clean, long infected, long errors, int fromPage);

    [LoggerMessage(6014, LogLevel.Information,
        "Scan {ScanId}: s3://{Bucket}/{Key} was promoted by an earlier delivery of this message (its result is out); nothing more to do")]
    public static partial void BucketObjectAlreadyPromoted(this ILogger logger, Guid scanId, string bucket, string key);

    [LoggerMessage(6015, LogLevel.Information,
        "Signatures went from version {Previous} to {Version}: rescan {RescanId} of {Bucket}/{Prefix} requested (clean verdicts of older signatures only)")]
    public static partial void SignatureUpdateRescan(this ILogger logger, int version, int previous, Guid rescanId, string bucket, string prefix);

    [LoggerMessage(6016, LogLevel.Information, "Signature version {Version} was already turned into rescans; this report changes nothing")]
    public static partial void SignatureUpdateAlreadyHandled(this ILogger logger, int version);

    [LoggerMessage(6017, LogLevel.Warning, "Could not report signature version {Version} for its rescans: {Reason} (other workers report it too)")]
    public static partial void SignatureUpdateNotReported(this ILogger logger, int version, string reason);
}
