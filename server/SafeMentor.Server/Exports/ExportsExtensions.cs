using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Exports;

internal static class ExportsExtensions
{
    /// <summary>Export receipts: the server checks an export's consent and keeps hashes and statements, never content.</summary>
    public static WebApplicationBuilder AddExports(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ExportReceiptStore>();
        builder.Services.AddStorageSchema<ExportReceiptSchema>();
        return builder;
    }

    public static IEndpointRouteBuilder MapExportsEndpoints(this IEndpointRouteBuilder app) => app.MapExportReceiptEndpoints();
}
