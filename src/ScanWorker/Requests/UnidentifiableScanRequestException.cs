using ScanWorker.Messaging;

namespace ScanWorker.Requests;

/// <summary>A request so broken that no result can be addressed (no scanId): it goes to the error queue.</summary>
public sealed class UnidentifiableScanRequestException(string message) : LoggedFaultException(message);
