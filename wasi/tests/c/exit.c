/* proc_exit: prints, then exits with 42 (the runner checks the status and the output). */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    printf("exiting with 42\n");
    exit(42);
}
