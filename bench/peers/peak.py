"""Peak memory of this process in MB, for the benchmark peers: VmHWM from /proc/self/status. Not ru_maxrss: Linux
keeps that across exec, so a peer started by a big benchmark parent would report the parent's size as its own."""
import resource


def peak_rss_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
