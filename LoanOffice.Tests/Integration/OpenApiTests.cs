using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LoanOffice.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>The API's OpenAPI 3.1 document lists every /api/v1 endpoint, validates, and is read — like its reader — only after signing in.</summary>
public partial class OpenApiTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task TheDocument_ListsEveryApiEndpoint_Validates_AndNeedsSignIn()
    {
        var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await anonymous.GetAsync("/openapi/v1.json")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/api/docs")).StatusCode.ShouldNotBe(HttpStatusCode.OK);

        var client = await app.SignedInClientAsync("compliance");
        var response = await client.GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(json);
        document.RootElement.GetProperty("openapi").GetString()!.ShouldStartWith("3.1");
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().ToDictionary(p => p.Name.TrimEnd('/'), p => p.Value);

        // every /api/v1 route the app maps is in the document, with its methods
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + (e.RoutePattern.RawText ?? "").TrimStart('/')).StartsWith("/api/v1/", StringComparison.Ordinal)).ToList();
        endpoints.Count.ShouldBeGreaterThan(10);
        var missing = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var path = RouteParameter().Replace("/" + endpoint.RoutePattern.RawText!.TrimStart('/'), "{$1}").TrimEnd('/');
            if (!paths.TryGetValue(path, out var item)) { missing.Add(path); continue; }
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                if (!item.TryGetProperty(method.ToLowerInvariant(), out _)) missing.Add($"{method} {path}");
        }
        missing.ShouldBeEmpty();

        // every JSON request body shows an example (on the body or on its schema), and so does every loan and close answer
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        bool SchemaHasExample(JsonElement schema) => schema.TryGetProperty("examples", out _)
            || schema.TryGetProperty("$ref", out var r) && schemas.GetProperty(r.GetString()!.Split('/')[^1]).TryGetProperty("examples", out _)
            || schema.TryGetProperty("anyOf", out var any) && any.EnumerateArray().Any(SchemaHasExample);
        bool HasExample(JsonElement media) =>
            media.TryGetProperty("example", out _) || media.TryGetProperty("schema", out var schema) && SchemaHasExample(schema);
        var withoutExample = new List<string>();
        foreach (var (path, item) in paths)
        foreach (var operation in item.EnumerateObject())
        {
            if (operation.Value.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var media) && !HasExample(media))
                withoutExample.Add($"{operation.Name} {path} request");
            if ((path.StartsWith("/api/v1/loans/{number}", StringComparison.Ordinal) || path.StartsWith("/api/v1/close-of-business", StringComparison.Ordinal) || path == "/api/v1/dashboard")
                && operation.Value.GetProperty("responses").EnumerateObject().FirstOrDefault(r => r.Name is "200" or "202") is { Value.ValueKind: JsonValueKind.Object } ok
                && (!ok.Value.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var answer) || !HasExample(answer)))
                withoutExample.Add($"{operation.Name} {path} answer");
        }
        withoutExample.ShouldBeEmpty();

        // it reads back as a valid OpenAPI document, with the bearer token scheme described
        var read = await OpenApiDocument.LoadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "json", new OpenApiReaderSettings());
        read.Diagnostic!.Errors.ShouldBeEmpty();
        read.Document!.Components!.SecuritySchemes!.Keys.ShouldContain("accessToken");

        (await client.GetAsync("/api/docs")).Headers.Location!.ToString().ShouldBe("docs/", "/api/docs sends the reader to /api/docs/");
        var docs = await client.GetAsync("/api/docs/");
        docs.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await docs.Content.ReadAsStringAsync();
        html.ShouldContain("<title>LoanOffice API</title>");
        html.ShouldContain("v1.json", Case.Sensitive, "the reader loads this document");
    }
}
