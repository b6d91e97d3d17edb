"""What every benchmark suite under bench/ shares: processes, CPU accounting, reports."""
