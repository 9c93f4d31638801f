using Deliverability.Core.SendEvents.Sources.Postfix;

namespace Deliverability.Core.Tests.SendEvents.Ingest;

/// <summary>The log follower on real files: partial lines, rotation (old file read to its end first), truncation, resuming.</summary>
public sealed class LogFileFollowerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("log-follower-").FullName;

    private string Log => Path.Combine(_folder, "mail.log");

    [Fact]
    public void A_partial_line_waits_for_its_end()
    {
        File.WriteAllText(Log, "Dec  3 05:00:00 a first\nDec  3 05:00:01 a sec");
        using var follower = new LogFileFollower(Log);

        Assert.Equal(["Dec  3 05:00:00 a first"], follower.ReadLines());
        File.AppendAllText(Log, "ond\n");
        Assert.Equal(["Dec  3 05:00:01 a second"], follower.ReadLines());
        Assert.Empty(follower.ReadLines());
    }

    [Fact]
    public void After_rotation_the_old_file_is_read_to_its_end_then_the_new_one_from_its_start()
    {
        File.WriteAllText(Log, "Dec  3 05:00:00 old one\n");
        using var follower = new LogFileFollower(Log);
        Assert.Single(follower.ReadLines());
        using (var old = new StreamWriter(new FileStream(Log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)))
        {
            File.Move(Log, Log + ".1");
            old.Write("Dec  3 05:00:01 old two\n");
        }

        File.WriteAllText(Log, "Dec  3 06:00:00 new one\n");

        Assert.Equal(["Dec  3 05:00:01 old two"], follower.ReadLines());
        Assert.Equal(["Dec  3 06:00:00 new one"], follower.ReadLines());
    }

    [Fact]
    public void After_truncation_the_file_is_read_from_its_start_and_a_restored_position_resumes_only_in_the_same_file()
    {
        File.WriteAllText(Log, "Dec  3 05:00:00 one\nDec  3 05:00:01 two\n");
        LogPosition position;
        using (var follower = new LogFileFollower(Log))
        {
            Assert.Equal(2, follower.ReadLines().Count);
            position = follower.Position;
        }

        File.AppendAllText(Log, "Dec  3 05:00:02 three\n");
        using (var resumed = new LogFileFollower(Log))
        {
            resumed.Restore(position);
            Assert.Equal(["Dec  3 05:00:02 three"], resumed.ReadLines());
            File.WriteAllText(Log, "Dec  3 07:00:00 after truncation\n");
            Assert.Equal(["Dec  3 07:00:00 after truncation"], resumed.ReadLines());
        }

        using var elsewhere = new LogFileFollower(Log);
        elsewhere.Restore(position);
        Assert.Equal(["Dec  3 07:00:00 after truncation"], elsewhere.ReadLines());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
