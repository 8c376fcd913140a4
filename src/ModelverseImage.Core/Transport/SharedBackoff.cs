using System;
using System.Threading;
using System.Threading.Tasks;

namespace ModelverseImage.Api
{
    /// <summary>
    /// A pause shared by every request of one cmdlet call: when one of them is told to slow down (429), all
    /// of them wait until the server's Retry-After has passed, instead of each hammering on its own.
    /// </summary>
    internal sealed class SharedBackoff
    {
        private long _resumeAtTicks;

        public void PauseFor(TimeSpan delay)
        {
            long target = DateTime.UtcNow.Add(delay).Ticks;
            long current;
            do
            {
                current = Interlocked.Read(ref _resumeAtTicks);
                if (current >= target) return;
            }
            while (Interlocked.CompareExchange(ref _resumeAtTicks, target, current) != current);
        }

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var remaining = new DateTime(Interlocked.Read(ref _resumeAtTicks), DateTimeKind.Utc) - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero) return;
                await Task.Delay(remaining, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
