namespace LoanOffice.Web.Resources;

/// <summary>Marker for the UI's string resources (SharedResource.resx = English, SharedResource.zh-CN.resx = 中文).</summary>
public sealed class SharedResource;
