namespace ScanWorker.Diagnostics;

public enum OtlpProtocol
{
    HttpProtobuf,
    Grpc,
}
