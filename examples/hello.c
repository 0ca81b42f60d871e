// The hello-world of README's run command: `cargo run --release -- run examples/hello.wasm`.
// Rebuild with examples/build.sh (clang --target=wasm32-wasi).
#include <stdio.h>

int main(void) {
    printf("Hello, world!\n");
    return 0;
}
