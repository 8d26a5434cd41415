namespace LoanOffice.Domain.Common;

/// <summary>
/// Control characters in typed or sent text: NUL and the other C0 controls (and DEL) have no place in a name, a
/// reason or a search, and PostgreSQL refuses NUL in text outright. Tab, line feed and carriage return stay allowed.
/// </summary>
public static class TextInput
{
    public static bool IsControl(char c) => (c < ' ' && c is not '\t' and not '\n' and not '\r') || c == '\u007F';

    public static bool HasControl(string? text) => text is not null && text.Any(IsControl);

    /// <summary>A search box's text without control characters (a pasted NUL is invisible: the search simply ignores it).</summary>
    public static string? StripControl(string? text) => HasControl(text) ? new string(text!.Where(c => !IsControl(c)).ToArray()) : text;

    /// <summary>The refusal of <paramref name="field"/> for a control character.</summary>
    public static Error Refusal(string field) => Error.Of(ErrorCodes.ControlCharacters, field).At(field);
}
