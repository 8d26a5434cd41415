namespace LoanOffice.Data.Sql;

/// <summary>Hand-written SQL shipped as embedded resources (used by migrations and batch work).</summary>
public static class SqlScripts
{
    public static string Load(string name)
    {
        var assembly = typeof(SqlScripts).Assembly;
        using var stream = assembly.GetManifestResourceStream($"LoanOffice.Data.Sql.{name}")
                           ?? throw new InvalidOperationException($"Embedded SQL script {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The statements of a script whose statements are separated by lines reading exactly <c>--;;</c>.</summary>
    public static IReadOnlyList<string> Statements(string name) =>
        System.Text.RegularExpressions.Regex.Split(Load(name), @"^--;;\s*$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Where(s => s.Split('\n').Any(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            .ToList();
}
