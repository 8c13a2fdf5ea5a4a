using System.Buffers;

namespace ScanWorker.Tests.Infrastructure;

/// <summary>Builds multi-segment byte sequences, to feed parsers data that arrives in pieces.</summary>
internal sealed class SequenceSegment : ReadOnlySequenceSegment<byte>
{
    public SequenceSegment(ReadOnlyMemory<byte> memory) => Memory = memory;

    public SequenceSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new SequenceSegment(memory) { RunningIndex = RunningIndex + Memory.Length };
        Next = next;
        return next;
    }
}
