using System.Net;
using LoanOffice.Domain.Common;
using LoanOffice.Tests.Architecture;
using LoanOffice.Tests.Support;
using LoanOffice.Web.Features.Applications;
using Microsoft.EntityFrameworkCore;
using Shouldly;

namespace LoanOffice.Tests.Integration;

/// <summary>
/// The upload corpus (LoanOffice.Tests/Corpus/uploads): a decompression bomb, polyglots and PDFs that would run
/// something when opened are refused with their code and leave nothing behind; a clean PDF and image go in and a PDF
/// is only ever handed out as a download.
/// </summary>
public class UploadSecurityTests : IClassFixture<IsolatedApp>, IAsyncLifetime
{
    private readonly IsolatedApp _app; // its own database: the shared one's officer task lists stay as other tests expect

    public UploadSecurityTests(IsolatedApp app) => _app = app;

    public Task InitializeAsync() => TestDatabase.EnsureReadyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static byte[] Corpus(string name) => File.ReadAllBytes(Path.Combine(DomainIsolationTests.RepoRoot(), "LoanOffice.Tests", "Corpus", "uploads", name));

    private async Task<Result<Guid>> UploadAsync(Guid id, string name) =>
        await TestApplications.As(_app.Services, "officer", s => s.Get<ApplicationWorkflow>().UploadAsync(id, new UploadedFile(name, "身份证", Corpus(name))));

    [Theory]
    [InlineData("bomb-16384x16384.png", ErrorCodes.DocumentTooManyPixels)]
    [InlineData("png-trailing-html.png", ErrorCodes.DocumentPolyglot)]
    [InlineData("png-trailing-bytes.png", ErrorCodes.DocumentPolyglot)]
    [InlineData("pdf-html-polyglot.pdf", ErrorCodes.DocumentPolyglot)]
    [InlineData("pdf-openaction-javascript.pdf", ErrorCodes.DocumentActiveContent)]
    [InlineData("pdf-escaped-names.pdf", ErrorCodes.DocumentActiveContent)]
    [InlineData("pdf-launch-annotation.pdf", ErrorCodes.DocumentActiveContent)]
    [InlineData("pdf-embedded-file.pdf", ErrorCodes.DocumentActiveContent)]
    public async Task AHostileFile_IsRefusedWithItsCode_AndLeavesNothing(string file, string code)
    {
        var id = await TestApplications.CollectingAsync(_app.Services, "杭州市西湖区", "officer", "lead");
        var before = GC.GetTotalAllocatedBytes(precise: false);
        var refused = await UploadAsync(id, file);
        refused.Error!.Code.ShouldBe(code);
        refused.Error.Field.ShouldBe("file");
        // the bomb's 268 million pixels were never decoded (that alone would allocate 268 MB or more)
        (GC.GetTotalAllocatedBytes(precise: false) - before).ShouldBeLessThan(64L * 1024 * 1024);
        await using var db = _app.Sql.Db();
        (await db.ApplicationDocuments.CountAsync(d => d.ApplicationId == id)).ShouldBe(0);
    }

    [Fact]
    public async Task CleanFiles_GoIn_AndAPdfIsOnlyEverADownloadUnderASandbox()
    {
        var id = await TestApplications.CollectingAsync(_app.Services, "杭州市西湖区", "officer", "lead");
        var image = await UploadAsync(id, "small-ok.png");
        image.IsSuccess.ShouldBeTrue(image.Error?.Message);
        var pdf = await UploadAsync(id, "clean.pdf");
        pdf.IsSuccess.ShouldBeTrue(pdf.Error?.Message);

        var lead = await _app.SignedInClientAsync("lead");
        var served = await lead.GetAsync($"/api/v1/applications/{id}/documents/{pdf.Value}");
        served.StatusCode.ShouldBe(HttpStatusCode.OK);
        served.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        served.Headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("sandbox");
        served.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        var shown = await lead.GetAsync($"/api/v1/applications/{id}/documents/{image.Value}");
        shown.Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg"); // re-encoded: the PNG's bytes never reach the browser
        (await lead.GetAsync($"/api/v1/applications/{id}/documents/{pdf.Value}/thumbnail")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public void TheBomb_IsJudgedFromItsHeaderAlone()
    {
        DocumentScreening.Pixels(Corpus("bomb-16384x16384.png")).ShouldBe(16384L * 16384);
        DocumentImages.Thumbnail(Corpus("bomb-16384x16384.png")).ShouldBeNull(); // a stored bomb is never decoded either
    }
}
