using SafeMentor.VectorGenerator;

// Regenerates the known-answer vectors. Run from anywhere inside the repository:
//   dotnet run --project tests/SafeMentor.VectorGenerator            writes tests/vectors/*.json
//   dotnet run --project tests/SafeMentor.VectorGenerator -- --check  exits 1 if regenerating would change a byte
var check = args.Contains("--check");
var directory = FindVectorDirectory();
var failed = false;
foreach (var (file, text) in new[] { ("sessions.json", SessionVectors.Generate()), ("statements.json", StatementVectors.Generate()), ("ground-rules.json", GroundRulesVectors.Generate()), ("export-records.json", ExportRecordVectors.Generate()), ("audit.json", AuditVectors.Generate()) })
{
    var path = Path.Combine(directory, file);
    if (check)
    {
        var same = File.Exists(path) && File.ReadAllText(path) == text;
        Console.WriteLine($"{file}: {(same ? "unchanged" : "WOULD CHANGE")}");
        failed |= !same;
    }
    else
    {
        File.WriteAllText(path, text);
        Console.WriteLine($"{file}: written");
    }
}

return failed ? 1 : 0;

static string FindVectorDirectory()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "SafeMentor.sln")))
        {
            return Path.Combine(dir.FullName, "tests", "vectors");
        }
    }

    throw new InvalidOperationException("Run this inside the SafeMentor repository (no SafeMentor.sln found above the current directory).");
}
