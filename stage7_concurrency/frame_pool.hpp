// FramePool: where the coroutine frames of Tasks (task.hpp) come from.
//
// Every call of a coroutine makes a frame: its arguments, its locals and the
// point where it paused. One cache miss calls a dozen of them (resolve,
// follow_cname_chain, resolve_iteratively, ask_one_server, ask_over_udp...),
// and the largest frames are over a kilobyte: too large for the blocks the C
// library's malloc keeps ready per thread (up to 1032 bytes), so each of them
// took malloc's slow path, which also sweeps its lists of small free blocks.
// Each worker thread therefore keeps the frames it frees, by size, and hands
// them out again: after the first lookups, a frame costs a pop from a list.
//
// A frame may be freed on another thread than the one that made it: it then
// joins that thread's lists, which is just as good (it is ordinary memory).
#pragma once

#include <cstddef>

namespace dns::frame_pool {

// Under AddressSanitizer or ThreadSanitizer every frame comes from the heap
// and goes back to it, so that they still see a frame used after it was freed.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool keeps_frames = false;
#else
inline constexpr bool keeps_frames = true;
#endif

// A frame of at least `size` bytes.
void* allocate(std::size_t size);
// Gives back a frame that allocate(size) returned, with the same size.
void release(void* frame, std::size_t size) noexcept;

} // namespace dns::frame_pool
