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
}
