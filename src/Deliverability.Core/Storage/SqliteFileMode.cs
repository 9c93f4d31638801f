namespace Deliverability.Core.Storage;

/// <summary>
/// The SQLite file holds password hashes, API key hashes and every result: on Unix only its owner may read it (0600),
/// like the Data Protection keys. SQLite creates a new file 0644 and gives its -wal and -shm files the database file's
/// mode, so the file is created 0600 before SQLite opens it, and an existing one (made by an older release) is tightened.
/// </summary>
public static class SqliteFileMode
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="file"/> (and its folder) for its owner only, or restricts the existing file and its WAL files.</summary>
    public static void CreateForOwnerOnly(string file)
    {
        var folder = Path.GetDirectoryName(file);
        if (OperatingSystem.IsWindows())
        {
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            return;
        }

        if (folder is not null && !Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }

        try
        {
            // An empty file is a valid empty SQLite database.
            using var created = new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
        }
        catch (IOException) when (File.Exists(file))
        {
            // There already (or made at this moment by another context on the same file): restricted below.
        }

        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
        {
            if (File.Exists(path) && File.GetUnixFileMode(path) != OwnerOnly)
            {
                File.SetUnixFileMode(path, OwnerOnly);
            }
        }
    }
}
