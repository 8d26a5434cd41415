namespace LoanOffice.Domain.Common;

/// <summary>An expected refusal: a stable code for programs and a human message for people.</summary>
public sealed record Error(string Code, string Message)
{
    /// <summary>The input field the error is about, when there is one (for field-level messages and problem details).</summary>
    public string? Field { get; init; }

    public static Error ForField(string field, string message) => new("validation", message) { Field = field };
    public static Error NotFound(string what) => new("not_found", $"{what} was not found.");
    public static Error Forbidden(string message) => new("forbidden", message);
    public static Error Validation(string message) => new("validation", message);
    public static Error Conflict(string message) => new("conflict", message);
}

/// <summary>Outcome of a command that may be refused for a business reason.</summary>
public class Result
{
    protected Result(Error? error) => Error = error;

    public Error? Error { get; }
    public bool IsSuccess => Error is null;

    public static Result Success() => new(null);
    public static Result Failure(Error error) => new(error);
    public static Result<T> Success<T>(T value) => new(value, null);
    public static Result<T> Failure<T>(Error error) => new(default, error);
    public static implicit operator Result(Error error) => new(error);
}

public sealed class Result<T> : Result
{
    internal Result(T? value, Error? error) : base(error) => Value = value;

    public T? Value { get; }

    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(Error error) => new(default, error);
}
