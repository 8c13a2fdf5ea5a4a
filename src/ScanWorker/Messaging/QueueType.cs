namespace ScanWorker.Messaging;

public enum QueueType
{
    Classic,
    Quorum,
}
