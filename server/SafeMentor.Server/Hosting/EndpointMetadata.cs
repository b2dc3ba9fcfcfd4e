namespace SafeMentor.Server.Hosting;

/// <summary>Describes answers for the OpenAPI document: the success shape and the problem statuses.</summary>
internal static class EndpointMetadata
{
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder endpoint, int status, params int[] problems)
    {
        endpoint.Produces<T>(status);
        foreach (var problem in problems)
        {
            endpoint.ProducesProblem(problem);
        }

        return endpoint;
    }
}
