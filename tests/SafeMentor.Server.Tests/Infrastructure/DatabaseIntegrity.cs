using LiteDB;

namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>
/// Reads a database back the hard way: every document of every collection in primary-key order, and again in the
/// order of each of its indexes, which must list exactly the same documents. A torn write shows up here as an
/// exception or as an index that has lost or gained a document.
/// </summary>
public static class DatabaseIntegrity
{
    public static List<string> Problems(LiteDatabase database)
    {
        var problems = new List<string>();
        var indexes = database.GetCollection("$indexes").FindAll().ToList();
        foreach (var name in database.GetCollectionNames())
        {
            try
            {
                var collection = database.GetCollection(name);
                var byKey = collection.FindAll().Select(d => d["_id"].ToString()).Order(StringComparer.Ordinal).ToList();
                foreach (var index in indexes.Where(i => i["collection"].AsString == name && i["name"].AsString != "_id"))
                {
                    var byIndex = collection.Query().OrderBy(index["expression"].AsString).ToEnumerable()
                        .Select(d => d["_id"].ToString()).Order(StringComparer.Ordinal).ToList();
                    if (!byIndex.SequenceEqual(byKey))
                    {
                        problems.Add($"{name}: index {index["name"].AsString} lists {byIndex.Count} documents, the primary key {byKey.Count}");
                    }
                }
            }
            catch (Exception e) when (e is LiteException or InvalidOperationException or IndexOutOfRangeException or ArgumentException)
            {
                problems.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }

        return problems;
    }
}
