#include "frame_pool.hpp"

#include <array>
#include <new>
#include <utility>

namespace dns::frame_pool {

namespace {

// Frames are kept in classes of 64 bytes, up to 8 kB; a larger one (none of
// the lookup's is) comes from the heap each time.
constexpr std::size_t class_width = 64;
constexpr std::size_t class_count = 128;
// At most this many free frames of each class per thread: a burst of a
// thousand lookups at once does not leave its frames held for ever.
constexpr std::size_t max_kept_per_class = 256;

// A free frame's first bytes hold the next free frame of its class.
struct FreeFrame {
    FreeFrame* next;
};

struct ThreadFrames {
    std::array<FreeFrame*, class_count> first{};
    std::array<std::size_t, class_count> kept{};

    ~ThreadFrames() {
        for (FreeFrame* frame : first)
            while (frame != nullptr)
                ::operator delete(std::exchange(frame, frame->next));
        // A frame freed later, as the thread's last objects are destroyed,
        // goes back to the heap.
        alive = false;
    }
    static thread_local bool alive;
};

thread_local bool ThreadFrames::alive = true;
thread_local ThreadFrames frames;

// The class of a frame of `size` bytes, or class_count if it is too large.
std::size_t class_of(std::size_t size) {
    if (size == 0)
        return 0;
    const std::size_t size_class = (size - 1) / class_width;
    return size_class < class_count ? size_class : class_count;
}

} // namespace

void* allocate(std::size_t size) {
    const std::size_t size_class = class_of(size);
    if (!keeps_frames || size_class == class_count)
        return ::operator new(size);
    if (ThreadFrames::alive && frames.first[size_class] != nullptr) {
        FreeFrame* frame = frames.first[size_class];
        frames.first[size_class] = frame->next;
        --frames.kept[size_class];
        return frame;
    }
    // Made at the full width of its class, so that any frame of the class
    // can reuse it.
    return ::operator new((size_class + 1) * class_width);
}

void release(void* frame, std::size_t size) noexcept {
    const std::size_t size_class = class_of(size);
    if (!keeps_frames || size_class == class_count || !ThreadFrames::alive ||
        frames.kept[size_class] == max_kept_per_class) {
        ::operator delete(frame);
        return;
    }
    frames.first[size_class] = new (frame) FreeFrame{frames.first[size_class]};
    ++frames.kept[size_class];
}

} // namespace dns::frame_pool
